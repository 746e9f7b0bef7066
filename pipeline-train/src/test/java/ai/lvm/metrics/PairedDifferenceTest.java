package ai.lvm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.lvm.metrics.PairedDifference.Counts;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairedDifferenceTest {

  @Test
  void exactMcNemarMatchesTheBinomialTail() {
    // 12 discordant windows, 2 of them B's: P(X <= 2) = (1 + 12 + 66) / 4096, doubled.
    assertThat(new PairedDifference(100, 10, 2).pValue()).isCloseTo(2 * 79 / 4096.0, within(1e-12));
    assertThat(new PairedDifference(100, 2, 10).pValue()).isCloseTo(2 * 79 / 4096.0, within(1e-12));
    assertThat(new PairedDifference(100, 5, 5).pValue()).as("level: clamped to 1").isEqualTo(1);
    assertThat(new PairedDifference(100, 0, 0).pValue()).as("nothing discordant").isEqualTo(1);
    assertThat(new PairedDifference(100, 1, 0).pValue()).isEqualTo(1); // 2 x 1/2
  }

  @Test
  void manyDiscordantWindowsNeitherUnderflowNorLeaveTheNormalApproximation() {
    // 1,100 discordant: 2^-1100 underflows a double; the continuity-corrected normal gives 0.0028.
    double p = new PairedDifference(10_000, 600, 500).pValue();
    assertThat(p).isBetween(0.0024, 0.0032);
    assertThat(new PairedDifference(100_000, 25_000, 25_000).pValue()).isEqualTo(1);
    assertThat(new PairedDifference(100_000, 30_000, 20_000).pValue()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void agrestiMinIntervalAsThePaperComputesIt() {
    // n' = 102, cells 10.5 and 2.5: centre 8/102, variance (13 - 64/102) / 102^2.
    Interval i = new PairedDifference(100, 10, 2).interval();
    assertThat(i.value()).isCloseTo(0.08, within(1e-12));
    double half = Interval.Z95 * Math.sqrt((13 - 64 / 102.0) / (102.0 * 102.0));
    assertThat(i.low()).isCloseTo(8 / 102.0 - half, within(1e-12));
    assertThat(i.high()).isCloseTo(8 / 102.0 + half, within(1e-12));
    assertThat(new PairedDifference(100, 10, 2).aBetter()).isTrue();

    Interval level = new PairedDifference(500, 20, 20).interval();
    assertThat(level.low()).isCloseTo(-level.high(), within(1e-12));
    assertThat(new PairedDifference(500, 20, 20).aBetter()).isFalse();
    assertThat(new PairedDifference(500, 20, 20).bBetter()).isFalse();
    assertThat(new PairedDifference(100, 0, 9).bBetter()).isTrue();
  }

  @Test
  void noDiscordantWindowsStillGivesAnIntervalAroundZero() {
    Interval i = new PairedDifference(50, 0, 0).interval();
    assertThat(i.value()).isZero();
    assertThat(i.low()).isNegative();
    assertThat(i.high()).isPositive();
  }

  @Test
  void extremesStayInsideMinusOneToOne() {
    Interval all = new PairedDifference(3, 3, 0).interval();
    assertThat(all.value()).isEqualTo(1);
    assertThat(all.high()).isLessThanOrEqualTo(1);
    assertThat(new PairedDifference(3, 0, 3).interval().low()).isGreaterThanOrEqualTo(-1);
  }

  /**
   * The interval covers a true difference about 95% of the time, also with few discordant pairs.
   */
  @Test
  void coversTheTrueDifferenceNearlyNinetyFivePercentOfTheTime() {
    SplittableRandom rng = new SplittableRandom(11);
    // Per window: A-only 6%, B-only 3%, so the true difference is 0.03; 400 windows.
    int reps = 4000;
    int covered = 0;
    for (int r = 0; r < reps; r++) {
      long a = 0;
      long b = 0;
      for (int w = 0; w < 400; w++) {
        double u = rng.nextDouble();
        if (u < 0.06) {
          a++;
        } else if (u < 0.09) {
          b++;
        }
      }
      Interval i = new PairedDifference(400, a, b).interval();
      if (i.low() <= 0.03 && 0.03 <= i.high()) {
        covered++;
      }
    }
    assertThat(covered / (double) reps).isBetween(0.935, 0.965);
  }

  @Test
  void studentTPercentilesAsTabulated() {
    assertThat(Interval.studentT975(1)).isCloseTo(12.7062047, within(1e-6));
    assertThat(Interval.studentT975(2)).isCloseTo(4.3026527, within(1e-6));
    assertThat(Interval.studentT975(6)).isCloseTo(2.4469119, within(1e-6));
    assertThat(Interval.studentT975(30)).isCloseTo(2.0422725, within(1e-6));
  }

  @Test
  void documentIntervalIsTheClusterRobustIntervalOfTheMean() {
    // d = (12 - 10) / 250; per document (a - b) - n d: 7.2, -0.8, -6.4.
    PairedDifference p =
        PairedDifference.byDocument(
            List.of(new Counts(100, 10, 2), new Counts(100, 2, 2), new Counts(50, 0, 6)));
    assertThat(p.windows()).isEqualTo(250);
    assertThat(p.onlyA()).isEqualTo(12);
    assertThat(p.onlyB()).isEqualTo(10);
    double half = 4.30265273 * Math.sqrt((7.2 * 7.2 + 0.8 * 0.8 + 6.4 * 6.4) * 3 / 2) / 250;
    Interval i = p.documentInterval();
    assertThat(i.value()).isCloseTo(0.008, within(1e-12));
    assertThat(i.low()).isCloseTo(0.008 - half, within(1e-8));
    assertThat(i.high()).isCloseTo(0.008 + half, within(1e-8));
    assertThat(i.low()).isLessThan(p.interval().low());
  }

  @Test
  void documentsThatAgreeKeepThePlainInterval() {
    PairedDifference p =
        PairedDifference.byDocument(List.of(new Counts(100, 5, 5), new Counts(100, 5, 5)));
    assertThat(p.documentInterval()).isEqualTo(p.interval());
  }

  @Test
  void noDocumentIntervalFromTotalsOrOneDocument() {
    assertThat(new PairedDifference(100, 10, 2).documentInterval()).isNull();
    assertThat(PairedDifference.byDocument(List.of(new Counts(100, 10, 2))).documentInterval())
        .isNull();
    assertThat(new PairedDifference(100, 10, 2).aBetter()).isTrue();
  }

  /**
   * Twenty wins, all in one of four documents: every window says "better", the documents do not.
   */
  @Test
  void aGainFromOneDocumentIsNotAVerdict() {
    PairedDifference p =
        PairedDifference.byDocument(
            List.of(
                new Counts(100, 20, 0),
                new Counts(100, 0, 0),
                new Counts(100, 0, 0),
                new Counts(100, 0, 0)));
    assertThat(p.interval().low()).isPositive();
    assertThat(p.documentInterval().low()).isNegative();
    assertThat(p.aBetter()).isFalse();
    assertThat(p.bBetter()).isFalse();
  }

  /**
   * Documents differ in which scorer suits them: half favour A (A-only 12%, B-only 3% of their
   * windows), half B (3% and 6%), so the true difference is 0.03 but windows of a document move
   * together. The window-level interval then covers it too rarely (0.85 with seed 7), the document
   * interval near 95% (0.95).
   */
  @Test
  void documentIntervalCoversWhenDocumentsDiffer() {
    SplittableRandom rng = new SplittableRandom(7);
    int reps = 3000;
    int plainCovered = 0;
    int documentCovered = 0;
    for (int r = 0; r < reps; r++) {
      List<Counts> docs = new java.util.ArrayList<>();
      for (int g = 0; g < 20; g++) {
        boolean favoursA = rng.nextBoolean();
        double pa = favoursA ? 0.12 : 0.03;
        double pb = favoursA ? 0.03 : 0.06;
        long a = 0;
        long b = 0;
        for (int w = 0; w < 30; w++) {
          double u = rng.nextDouble();
          if (u < pa) {
            a++;
          } else if (u < pa + pb) {
            b++;
          }
        }
        docs.add(new Counts(30, a, b));
      }
      PairedDifference p = PairedDifference.byDocument(docs);
      Interval plain = p.interval();
      Interval byDocument = p.documentInterval();
      plainCovered += plain.low() <= 0.03 && 0.03 <= plain.high() ? 1 : 0;
      documentCovered += byDocument.low() <= 0.03 && 0.03 <= byDocument.high() ? 1 : 0;
    }
    assertThat(plainCovered / (double) reps).isLessThan(0.9);
    assertThat(documentCovered / (double) reps).isBetween(0.93, 0.98);
  }

  @Test
  void rejectsCountsThatCannotBe() {
    assertThatThrownBy(() -> new PairedDifference(0, 0, 0)).hasMessageContaining("no windows");
    assertThatThrownBy(() -> new PairedDifference(10, 6, 5)).hasMessageContaining("do not fit");
    assertThatThrownBy(() -> new PairedDifference(10, -1, 0)).hasMessageContaining("do not fit");
    assertThatThrownBy(() -> new Counts(3, 2, 2)).hasMessageContaining("a document's counts");
    assertThatThrownBy(() -> new PairedDifference(10, 1, 0, List.of(new Counts(9, 1, 0))))
        .hasMessageContaining("do not sum");
  }
}
