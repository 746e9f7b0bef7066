package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.config.LvmConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainConfigTest {

  @Test
  void defaultsAreTheLearningRecipeOnTheReferenceArchitecture() {
    TrainConfig c = TrainConfig.from(LvmConfig.of(Map.of()));
    assertThat(c.models()).containsExactly("memory-gru");
    assertThat(c.seeds()).containsExactly(42L);
    assertThat(c.contextSizes()).isNull();
    assertThat(c.modelSpec("memory-gru", 768, 1))
        .isEqualTo(
            ai.lvm.model.ModelSpec.reference("memory-gru", 768)
                .withSeed(1)
                .withBase(3)
                .withBaseLags(5)
                .withAnalogue(true)
                .withDropout(0.3));
    assertThat(c.modelSpec("lstm", 768, 1).layers()).isEqualTo(2);
    Recipe r = c.recipe(1);
    assertThat(r.targets()).isEqualTo(ai.lvm.model.Readout.EVERY);
    assertThat(r.negatives()).isEqualTo(Recipe.NegativeSource.CORPUS);
    assertThat(r.hardNegatives()).isTrue();
    assertThat(r.validationBank()).isEqualTo(Recipe.ValidationBank.CORPUS);
    assertThat(r.loss()).isNotNull();
    assertThat(r.alpha()).isEqualTo(1.0);
    assertThat(r.learningRate()).isEqualTo(3e-4);
    assertThat(r.weightDecay()).isEqualTo(0.05);
    assertThat(r.temperature()).isEqualTo(0.1);
    assertThat(r.maxEpochs()).isEqualTo(50);
    assertThat(r.maxSteps()).isEmpty();
    LvmConfig.of(Map.of()).rejectUnknownKeys(List.of("train"));
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(
            () -> TrainConfig.from(LvmConfig.of(Map.of("lvm.train.models", "[transformer]"))))
        .hasMessageContaining("'lvm.train.models'")
        .hasMessageContaining("[amn, gru, lstm, memory-gru, mix]");
    assertThatThrownBy(() -> TrainConfig.from(LvmConfig.of(Map.of("lvm.train.seeds", "[1, 1]"))))
        .hasMessageContaining("distinct integers");
    assertThatThrownBy(
            () -> TrainConfig.from(LvmConfig.of(Map.of("lvm.train.learning-rate", "-1"))))
        .hasMessageContaining("'lvm.train.learning-rate'");
    assertThatThrownBy(() -> TrainConfig.from(LvmConfig.of(Map.of("lvm.train.device", "tpu"))))
        .hasMessageContaining("[auto, cpu, gpu]");
  }

  @Test
  void baseLagsGiveTheContextArBaseInTheBaseModeOnly() {
    TrainConfig mean = TrainConfig.from(LvmConfig.of(Map.of("lvm.train.base-lags", "0")));
    assertThat(mean.modelSpec("gru", 8, 1).baseLags()).isZero();
    assertThat(mean.modelSpec("gru", 8, 1).baseK()).isEqualTo(3);
    TrainConfig residual =
        TrainConfig.from(
            LvmConfig.of(Map.of("lvm.train.base-lags", "5", "lvm.train.prediction", "residual")));
    assertThat(residual.modelSpec("gru", 8, 1).baseLags()).isZero();
    assertThatThrownBy(() -> TrainConfig.from(LvmConfig.of(Map.of("lvm.train.base-lags", "65"))))
        .hasMessageContaining("'lvm.train.base-lags'")
        .hasMessageContaining("64");
  }

  @Test
  void theAnalogueTermsAreOnByDefaultInTheBaseModeOnly() {
    assertThat(TrainConfig.from(LvmConfig.of(Map.of())).modelSpec("gru", 8, 1).analogue()).isTrue();
    TrainConfig off = TrainConfig.from(LvmConfig.of(Map.of("lvm.train.base-analogue", "false")));
    assertThat(off.modelSpec("gru", 8, 1).analogue()).isFalse();
    TrainConfig residual =
        TrainConfig.from(LvmConfig.of(Map.of("lvm.train.prediction", "residual")));
    assertThat(residual.modelSpec("memory-gru", 8, 1).analogue()).isFalse();
    assertThatThrownBy(
            () -> TrainConfig.from(LvmConfig.of(Map.of("lvm.train.base-analogue", "sometimes"))))
        .hasMessageContaining("'lvm.train.base-analogue'");
  }

  @Test
  void hardNegativesWithoutCorpusNegativesAreRefusedWithTheFix() {
    assertThatThrownBy(
            () ->
                TrainConfig.from(
                    LvmConfig.of(
                        Map.of(
                            "lvm.train.negatives", "in-batch", "lvm.train.hard-negatives", true))))
        .hasMessageContaining("hard-negatives = true needs negatives = corpus")
        .hasMessageContaining("lvm.train.hard-negatives=false");
    assertThatThrownBy(() -> TrainConfig.from(LvmConfig.of(Map.of("lvm.train.targets", "all"))))
        .hasMessageContaining("lvm.train.targets")
        .hasMessageContaining("[last, every]");
  }

  @Test
  void mixWithoutTheBaseHeadIsRefusedWithTheFix() {
    assertThatThrownBy(
            () ->
                TrainConfig.from(
                    LvmConfig.of(
                        Map.of(
                            "lvm.root", "r",
                            "lvm.train.models", "[mix]",
                            "lvm.train.prediction", "residual"))))
        .hasMessageContaining("lvm.train.prediction")
        .hasMessageContaining("set lvm.train.prediction = base");
    TrainConfig ok =
        TrainConfig.from(
            LvmConfig.of(
                Map.of("lvm.root", "r", "lvm.train.models", "[mix]", "lvm.train.lags", 4)));
    assertThat(ok.modelSpec("mix", 8, 1).lags()).isEqualTo(4);
    assertThat(ok.modelSpec("gru", 8, 1).lags()).isEqualTo(1);
  }
}
