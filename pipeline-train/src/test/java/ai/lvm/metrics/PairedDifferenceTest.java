package ai.lvm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
  void rejectsCountsThatCannotBe() {
    assertThatThrownBy(() -> new PairedDifference(0, 0, 0)).hasMessageContaining("no windows");
    assertThatThrownBy(() -> new PairedDifference(10, 6, 5)).hasMessageContaining("do not fit");
    assertThatThrownBy(() -> new PairedDifference(10, -1, 0)).hasMessageContaining("do not fit");
  }
}
