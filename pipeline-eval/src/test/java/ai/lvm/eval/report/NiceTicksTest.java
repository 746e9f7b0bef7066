package ai.lvm.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NiceTicksTest {
  @Test
  void roundStepsCoveringTheData() {
    NiceTicks ticks = NiceTicks.of(0, 0.87, 5, false);

    assertThat(ticks.step()).isEqualTo(0.2);
    assertThat(ticks.values()).hasSize(6).startsWith(0.0).endsWith(1.0);
    assertThat(ticks.values().stream().map(v -> ticks.label(v, 100)))
        .containsExactly("0", "20", "40", "60", "80", "100");
    assertThat(ticks.label(0.6, 1)).isEqualTo("0.6");
  }

  @Test
  void quarterStepsGetTheirExtraDecimal() {
    NiceTicks ticks = NiceTicks.of(0, 1, 4, false);

    assertThat(ticks.step()).isEqualTo(0.25);
    assertThat(ticks.label(0.75, 1)).isEqualTo("0.75");
  }

  @Test
  void integerAxesStepByWholeNumbers() {
    NiceTicks ticks = NiceTicks.of(1, 3, 8, true);

    assertThat(ticks.step()).isEqualTo(1.0);
    assertThat(ticks.values()).containsExactly(1.0, 2.0, 3.0);
    assertThat(ticks.label(2, 1)).isEqualTo("2");
  }

  @Test
  void degenerateRangesStillHaveExtent() {
    assertThat(NiceTicks.of(0, 0, 5, false).high()).isEqualTo(1.0);
    NiceTicks one = NiceTicks.of(0.5, 0.5, 5, false);
    assertThat(one.low()).isLessThan(0.5);
    assertThat(one.high()).isGreaterThan(0.5);
    assertThat(NiceTicks.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 5, false).values())
        .isNotEmpty();
  }
}
