package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.lvm.checkpoint.CheckpointException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The learned temperature's optimizer step, clamp and checkpoint round trip, on one scalar. */
class LearnedTemperatureTest {

  /** A gradient that keeps pushing drives tau to the clamp and no further, either way. */
  @Test
  void theStepKeepsTheTemperatureWithinItsRange() {
    LearnedTemperature t = new LearnedTemperature(0.5);
    AdamW optimizer = new AdamW(0.0);
    for (int i = 0; i < 100; i++) {
      t.accumulate(-1.0); // descent raises log tau
      t.step(optimizer, 1, 0.1);
    }
    assertThat(t.value()).isEqualTo(Recipe.MAX_LEARNED_TEMPERATURE);
    for (int i = 0; i < 300; i++) {
      t.accumulate(1.0);
      t.step(optimizer, 1, 0.1);
    }
    assertThat(t.value()).isCloseTo(Recipe.MIN_LEARNED_TEMPERATURE, within(1e-15));
    assertThat(t.gradient()).isZero(); // each step consumes the accumulated gradient
  }

  /**
   * No weight decay, whatever the model's: with a zero gradient the value stays (decay would shrink
   * log 0.2 towards 0); and micro-batches average as the model's gradients do (AdamW's first moment
   * after one step is (1 - beta1) times the mean gradient).
   */
  @Test
  void noDecayAndMicroBatchesAverage() {
    LearnedTemperature t = new LearnedTemperature(0.2);
    AdamW optimizer = new AdamW(0.5);
    t.step(optimizer, 1, 0.1);
    assertThat(t.value()).isCloseTo(0.2, within(1e-15));

    LearnedTemperature u = new LearnedTemperature(0.2);
    AdamW fresh = new AdamW(0.5);
    u.accumulate(2.0);
    u.accumulate(4.0);
    u.step(fresh, 2, 0.01);
    assertThat(fresh.state().get(LearnedTemperature.NAME + "/m").getDouble(0))
        .isCloseTo((1 - AdamW.BETA1) * 3.0, within(1e-15));
    assertThat(u.value()).isLessThan(0.2);
  }

  @Test
  void theValueRoundTripsThroughTheOptimizerStateExactly() {
    LearnedTemperature t = new LearnedTemperature(0.07);
    AdamW optimizer = new AdamW(0.0);
    t.accumulate(0.3);
    t.step(optimizer, 1, 1e-3);
    Map<String, INDArray> state = new HashMap<>(optimizer.state());
    t.saveInto(state);
    LearnedTemperature restored = new LearnedTemperature(0.5);
    restored.restoreFrom(state, "here");
    assertThat(restored.value()).isEqualTo(t.value());

    assertThatThrownBy(() -> restored.restoreFrom(Map.of(), "<run>/last"))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("Incompatible checkpoint at <run>/last")
        .hasMessageContaining(LearnedTemperature.NAME);
  }
}
