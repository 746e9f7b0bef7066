package ai.lvm.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.metrics.Interval;
import org.junit.jupiter.api.Test;

class FormatsTest {
  @Test
  void intervalsInPercentWithOneDecimal() {
    assertThat(Formats.percent(new Interval(0.756, 0.7412, 0.7703)))
        .isEqualTo("75.6% [74.1, 77.0]");
    assertThat(Formats.decimal(new Interval(0.61234, 0.6, 0.625)))
        .isEqualTo("0.612 [0.600, 0.625]");
    assertThat(Formats.percent((Interval) null)).isEqualTo("n/a");
    assertThat(Formats.percent(new Interval(Double.NaN, 0, 1))).isEqualTo("n/a");
  }

  @Test
  void smallChanceLevelsKeepTwoSignificantDigits() {
    assertThat(Formats.percent(5 / 10_000.0)).isEqualTo("0.050%");
    assertThat(Formats.percent(0.0042)).isEqualTo("0.42%");
    assertThat(Formats.percent(0.623)).isEqualTo("62.3%");
    assertThat(Formats.percent(0.0)).isEqualTo("0.0%");
  }
}
