package ai.lvm.eval.report;

import ai.lvm.metrics.Interval;
import ai.lvm.metrics.PairedDifference;
import java.util.Locale;

/** Number formats shared by the HTML page and the console table, so both print the same text. */
final class Formats {
  static final String MISSING = "n/a";

  private Formats() {}

  /** A proportion with its interval, in percent: {@code 75.6% [74.1, 77.0]}. */
  static String percent(Interval i) {
    if (!finite(i)) {
      return MISSING;
    }
    return String.format(
        Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * i.value(), 100 * i.low(), 100 * i.high());
  }

  /**
   * A bare proportion in percent with two significant digits below 1%: chance levels are often
   * 0.05%, which one decimal would print as 0.1% or 0.0%.
   */
  static String percent(double p) {
    if (!Double.isFinite(p)) {
      return MISSING;
    }
    double pct = 100 * p;
    int decimals = pct == 0 || pct >= 1 ? 1 : Math.min(6, 1 - (int) Math.floor(Math.log10(pct)));
    return String.format(Locale.ROOT, "%." + decimals + "f%%", pct);
  }

  /** A mean with its interval, three decimals: MRR and mean cosine. */
  static String decimal(Interval i) {
    if (!finite(i)) {
      return MISSING;
    }
    return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", i.value(), i.low(), i.high());
  }

  /** The estimate alone, for the console where the interval would crowd the row. */
  static String decimalValue(Interval i) {
    return i == null || !Double.isFinite(i.value())
        ? MISSING
        : String.format(Locale.ROOT, "%.3f", i.value());
  }

  /** A difference of two percentages, signed: {@code +13.3 pts}. */
  static String points(double points) {
    if (!Double.isFinite(points)) {
      return MISSING;
    }
    return String.format(Locale.ROOT, "%+.1f pts", points);
  }

  /**
   * A paired difference in points with its interval and exact p-value, the interval by target
   * document where there is one, and what they say: {@code +1.8 [+0.4, +3.2] p=0.012, 20 docs
   * [-0.2, +3.8] level}; {@code better} or {@code worse} only where both intervals exclude 0.
   */
  static String paired(PairedDifference d) {
    if (d == null) {
      return MISSING;
    }
    Interval i = d.interval();
    Interval byDocument = d.documentInterval();
    String verdict = d.aBetter() ? "better" : d.bBetter() ? "worse" : "level";
    return String.format(
        Locale.ROOT,
        "%+.1f [%+.1f, %+.1f] p=%s%s %s",
        100 * i.value(),
        100 * i.low(),
        100 * i.high(),
        pValue(d.pValue()),
        byDocument == null
            ? ""
            : String.format(
                Locale.ROOT,
                ", %d docs [%+.1f, %+.1f]",
                d.documents().size(),
                100 * byDocument.low(),
                100 * byDocument.high()),
        verdict);
  }

  /** Two decimals from 0.1 up, two significant digits below, {@code <1e-6} below that. */
  static String pValue(double p) {
    return p < 1e-6 ? "<1e-6" : String.format(Locale.ROOT, p >= 0.1 ? "%.2f" : "%.2g", p);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Candidates are a mean over queries: whole numbers once they are large. */
  static String candidates(double c) {
    if (!Double.isFinite(c)) {
      return MISSING;
    }
    return String.format(Locale.ROOT, c >= 100 ? "%,.0f" : "%.1f", c);
  }

  static String millis(double ms) {
    if (!Double.isFinite(ms)) {
      return MISSING;
    }
    return String.format(Locale.ROOT, ms >= 100 ? "%,.0f" : ms >= 10 ? "%.1f" : "%.2f", ms);
  }

  static String rate(double perSecond) {
    if (!Double.isFinite(perSecond)) {
      return MISSING;
    }
    return String.format(Locale.ROOT, perSecond >= 10 ? "%,.0f" : "%.2f", perSecond);
  }

  private static boolean finite(Interval i) {
    return i != null
        && Double.isFinite(i.value())
        && Double.isFinite(i.low())
        && Double.isFinite(i.high());
  }
}
