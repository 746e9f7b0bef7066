package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.config.InvalidInputException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RecipeTest {

  @Test
  void referenceMatchesTheSeedSpec() {
    Recipe r = Recipe.reference();
    assertThat(r.alpha()).isEqualTo(0.03);
    assertThat(r.learningRate()).isEqualTo(1e-4);
    assertThat(r.weightDecay()).isEqualTo(1e-4);
    assertThat(r.clipNorm()).isEqualTo(1.0);
    assertThat(r.microBatch() * r.accumulationSteps()).isEqualTo(256);
    assertThat(r.maxEpochs()).isEqualTo(50);
    assertThat(r.cosineTMax()).isEqualTo(49);
    assertThat(r.cosineEtaMin()).isEqualTo(1e-5);
    assertThat(r.cosineStartEpoch()).isEqualTo(2);
    assertThat(r.cadence()).isEqualTo(EvaluationCadence.REFERENCE);
    assertThat(r.seed()).isEqualTo(42);
    assertThat(Recipe.defaults().cadence()).isEqualTo(EvaluationCadence.EVERY_EPOCH);
  }

  @Test
  void mapRoundTrips() {
    Map<String, Object> m = new HashMap<>(Recipe.defaults().toMap());
    m.put("max-steps", 123);
    m.put("micro-batch", "16");
    Recipe r = Recipe.fromMap(m);
    assertThat(r.maxSteps()).isEqualTo(OptionalLong.of(123));
    assertThat(r.microBatch()).isEqualTo(16);
    assertThat(Recipe.fromMap(r.toMap())).isEqualTo(r);
  }

  @Test
  void errorsNameTheField() {
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("learning-rate", -1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("learning-rate must be > 0");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("micro-batch", 0)))
        .hasMessageContaining("micro-batch must be >= 1, got 0");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("patience", "three")))
        .hasMessageContaining("patience must be an integer, got three");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("evaluation-cadence", "weekly")))
        .hasMessageContaining("evaluation-cadence");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("learning_rate", 1)))
        .hasMessageContaining("unknown key 'learning_rate'");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("max-steps", 0)))
        .hasMessageContaining("max-steps must be >= 1");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("cosine-eta-min", 1.0)))
        .hasMessageContaining("cosine-eta-min must not exceed learning-rate");
  }
}
