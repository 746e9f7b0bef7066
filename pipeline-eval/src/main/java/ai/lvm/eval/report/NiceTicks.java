package ai.lvm.eval.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Axis ticks at round numbers (1, 2, 2.5 or 5 times a power of ten) covering a data range, so a
 * reader can interpolate between gridlines without arithmetic.
 *
 * @param low the first tick, at or below the data minimum
 * @param high the last tick, at or above the data maximum
 * @param step the distance between ticks
 */
record NiceTicks(double low, double high, double step) {

  /**
   * Ticks covering {@code [min, max]} with about {@code target} intervals. A degenerate range (one
   * value, or none finite) is widened so the axis still has extent. {@code integers} keeps the step
   * a whole number, for epochs.
   */
  static NiceTicks of(double min, double max, int target, boolean integers) {
    if (!Double.isFinite(min) || !Double.isFinite(max)) {
      min = 0;
      max = 1;
    }
    if (max - min < 1e-12) {
      if (min == 0) {
        max = 1; // nothing but zeros (or no data from zero): a unit axis, not one around zero
      } else {
        double pad = Math.abs(min) * 0.1;
        min -= pad;
        max += pad;
      }
    }
    double step = niceStep((max - min) / Math.max(1, target), integers);
    double low = Math.floor(min / step + 1e-9) * step;
    double high = Math.ceil(max / step - 1e-9) * step;
    return new NiceTicks(low, high, step);
  }

  private static double niceStep(double rough, boolean integers) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    double residual = rough / magnitude;
    double nice;
    if (residual <= 1) {
      nice = 1;
    } else if (residual <= 2) {
      nice = 2;
    } else if (residual <= 2.5 && !integers) {
      nice = 2.5;
    } else if (residual <= 5) {
      nice = 5;
    } else {
      nice = 10;
    }
    double step = nice * magnitude;
    return integers ? Math.max(1, Math.round(step)) : step;
  }

  /** The tick values from low to high. */
  List<Double> values() {
    List<Double> ticks = new ArrayList<>();
    long n = Math.round((high - low) / step);
    for (long i = 0; i <= n; i++) {
      // Multiply rather than accumulate so 0.1 + 0.1 + 0.1 does not drift off the grid.
      double v = low + i * step;
      ticks.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
    }
    return ticks;
  }

  /** A tick label with as many decimals as the step needs; {@code scale} 100 for percent. */
  String label(double value, double scale) {
    double scaledStep = step * scale;
    int decimals = Math.max(0, (int) Math.ceil(-Math.log10(scaledStep) - 1e-9));
    if (Math.abs(
            scaledStep * Math.pow(10, decimals) - Math.round(scaledStep * Math.pow(10, decimals)))
        > 1e-6) {
      decimals++; // 2.5, 0.25: one digit more than the power of ten
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", value * scale);
  }
}
