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
  }

  @Test
  void mapRoundTrips() {
    Map<String, Object> m = new HashMap<>(Recipe.reference().toMap());
    m.put("max-steps", 123);
    m.put("micro-batch", "16");
    Recipe r = Recipe.fromMap(m);
    assertThat(r.maxSteps()).isEqualTo(OptionalLong.of(123));
    assertThat(r.microBatch()).isEqualTo(16);
    assertThat(Recipe.fromMap(r.toMap())).isEqualTo(r);
  }

  /** A recorded recipe is read by the configuration's reader: its errors name the key as set. */
  @Test
  void errorsNameTheField() {
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("learning-rate", -1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "'lvm.train.learning-rate': -1 (expected a number in [1.0E-12, 10.0])");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("micro-batch", 0)))
        .hasMessageContaining("'lvm.train.micro-batch': 0 (expected an integer in [1,");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("patience", "three")))
        .hasMessageContaining("'lvm.train.patience': \"three\" (expected an integer");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("eval-cadence", "weekly")))
        .hasMessageContaining("lvm.train.eval-cadence");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("learning_rate", 1)))
        .hasMessageContaining("unknown key 'learning_rate'");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("max-steps", 0)))
        .hasMessageContaining("'lvm.train.max-steps': 0 (expected an integer in [1,");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("schedule.min-learning-rate", 1.0)))
        .hasMessageContaining("lvm.train.schedule.min-learning-rate must not exceed learning-rate");
  }

  /**
   * learn-temperature: off in the reference, in reference.conf's defaults and in a recorded recipe
   * written before the key existed (so their run ids and resumes do not change); true and false
   * read; any other type is refused naming the key; a learned temperature must start inside the
   * range it is kept in.
   */
  @Test
  void learnTemperatureIsABooleanThatDefaultsOff() {
    assertThat(Recipe.reference().learnTemperature()).isFalse();
    assertThat(Recipe.reference().toMap()).containsEntry("learn-temperature", false);
    assertThat(TrainConfig.from(ai.lvm.config.LvmConfig.of(Map.of())).recipe(1).learnTemperature())
        .isFalse();
    assertThat(Recipe.fromMap(Map.of("alpha", 0.5)).learnTemperature()).isFalse();
    assertThat(Recipe.fromMap(Map.of("learn-temperature", false))).isEqualTo(Recipe.reference());
    Recipe learned = Recipe.fromMap(Map.of("learn-temperature", true));
    assertThat(learned.learnTemperature()).isTrue();
    assertThat(learned.temperature()).isEqualTo(Loss.TEMPERATURE); // the initial value
    assertThat(Recipe.fromMap(learned.toMap())).isEqualTo(learned);
    assertThat(
            Recipe.read(ai.lvm.config.LvmConfig.of(Map.of("lvm.train.learn-temperature", true)), 1)
                .learnTemperature())
        .isTrue();
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("learn-temperature", "yes")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'lvm.train.learn-temperature': \"yes\" (expected true or false)");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("learn-temperature", 1)))
        .hasMessageContaining("'lvm.train.learn-temperature': 1 (expected true or false)");
    assertThatThrownBy(() -> Recipe.fromMap(Map.of("learn-temperature", true, "temperature", 2.0)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("lvm.train.temperature must be within [0.01, 1.0]")
        .hasMessageContaining("lvm.train.learn-temperature = true");
    // a fixed temperature keeps its own, wider range
    assertThat(Recipe.fromMap(Map.of("temperature", 2.0)).temperature()).isEqualTo(2.0);
  }

  /** Checkpoints written before the recipe took the configuration's spelling still read. */
  @Test
  void recordedRecipesWithTheEarlierKeyNamesRead() {
    Recipe old =
        Recipe.fromMap(
            Map.of(
                "cosine-t-max",
                20,
                "cosine-eta-min",
                1e-6,
                "cosine-start-epoch",
                1,
                "min-delta",
                0.01,
                "evaluation-cadence",
                "every-epoch"));
    assertThat(old.cosineTMax()).isEqualTo(20);
    assertThat(old.cosineEtaMin()).isEqualTo(1e-6);
    assertThat(old.cosineStartEpoch()).isEqualTo(1);
    assertThat(old.minDelta()).isEqualTo(0.01);
    assertThat(old.cadence()).isEqualTo(EvaluationCadence.EVERY_EPOCH);
    assertThat(old.toMap())
        .containsKeys(
            "schedule.t-max",
            "schedule.min-learning-rate",
            "schedule.start-epoch",
            "min-improvement",
            "eval-cadence")
        .doesNotContainKeys("cosine-t-max", "min-delta", "evaluation-cadence");
  }

  /** Every recipe key is an lvm.train key of reference.conf, spelled the same. */
  @Test
  void everyRecipeKeyIsAConfigurationKey() {
    ai.lvm.config.LvmConfig defaults = ai.lvm.config.LvmConfig.of(Map.of());
    for (String key : Recipe.reference().toMap().keySet()) {
      if (!key.equals("seed")) { // a recipe's seed is one of the sweep's lvm.train.seeds
        assertThat(defaults.isDeclared("lvm.train." + key)).as(key).isTrue();
      }
    }
  }
}
