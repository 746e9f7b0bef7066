package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.config.LvmConfig;
import ai.lvm.export.ExportConfig;
import ai.lvm.format.Protocol;
import ai.lvm.generate.GenerateConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped files under {@code conf/} load through the launcher's loader ({@link LvmConfig#load},
 * as {@code --config FILE}) and pass every check of the stages that exist here (unknown keys,
 * types, ranges): a typo in a shipped file fails the build, not a nightly run. This module has the
 * reference.conf of export and train on its classpath; {@code lvm.ingest} and {@code lvm.eval} keys
 * are left to their modules' tests (pipeline-ingest's IngestConfFilesTest), as {@code
 * rejectUnknownKeys} leaves every stage it is not asked about.
 */
class ConfFilesTest {
  /** Stages whose keys can be validated from this module. */
  private static final Set<String> STAGES = Set.of("spark", "generate", "export", "train", "bench");

  /** {@code conf/<name>} of the repository (LearningRecipeTest loads seed-parity.conf from it). */
  static Path conf(String name) {
    // Tests run in the module directory; the files live in the repository's conf/.
    Path p = Path.of("").toAbsolutePath().getParent().resolve("conf").resolve(name);
    assertThat(p).as("conf file").isRegularFile();
    return p;
  }

  private static LvmConfig load(String name, Map<String, String> sets) {
    LvmConfig c = LvmConfig.load(Optional.of(conf(name).toFile()), sets);
    c.rejectUnknownKeys(STAGES);
    return c;
  }

  /** Every {@code conf/*.conf}, so a file added later is checked too. */
  static List<String> confFiles() throws IOException {
    try (Stream<Path> files = Files.list(conf("local.conf").getParent())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".conf"))
          .sorted()
          .toList();
    }
  }

  @Test
  void theShippedFilesAreFound() throws IOException {
    assertThat(confFiles()).contains("local.conf", "cluster.conf", "seed-parity.conf");
  }

  @ParameterizedTest
  @MethodSource("confFiles")
  void shippedFilesValidateForExportAndTrain(String name) {
    // Files that leave the corpus to the command line get one, as bin/lvm --set would.
    LvmConfig c = load(name, Map.of());
    if (!c.isSet("lvm.export.corpus")) {
      c = load(name, Map.of("lvm.export.corpus", "data/corpus/generated"));
    }
    ExportConfig.from(c);
    TrainConfig.from(c);
  }

  @Test
  void localConfValidatesForEveryLocalCommand() {
    LvmConfig c = load("local.conf", Map.of());
    GenerateConfig.from(c);
    assertThat(ExportConfig.from(c).corpus()).isEqualTo("data/corpus/generated");
  }

  @Test
  void seedParityIsTheReferenceProtocolAndRecipe() {
    LvmConfig c = load("seed-parity.conf", Map.of("lvm.export.corpus", "data/corpus/wiki"));
    ExportConfig export = ExportConfig.from(c);
    assertThat(export.protocol()).isEqualTo(Protocol.SEED);
    assertThat(export.contextSizes()).containsExactly(100, 500, 1000, 2000);
    assertThat(export.fixedStride()).isEmpty(); // C/2
    assertThat(export.seed()).isEqualTo(42);
    assertThat(export.minCoherence()).isEqualTo(OptionalDouble.of(0.0));
    assertThat(export.minTrainSequences()).isEqualTo(1000);

    TrainConfig train = TrainConfig.from(c);
    assertThat(train.models()).containsExactly("memory-gru");
    assertThat(train.seeds()).containsExactly(42L);
    assertThat(train.allowInsufficient()).isTrue();
    assertThat(train.modelSpec("memory-gru", 768, 42))
        .isEqualTo(ai.lvm.model.ModelSpec.reference("memory-gru", 768).withSeed(42));
    Recipe recipe = train.recipe(42);
    assertThat(recipe.cadence()).isEqualTo(EvaluationCadence.REFERENCE);
    assertThat(List.of(recipe.patience(), recipe.maxEpochs())).containsExactly(3, 50);
    assertThat(recipe.minDelta()).isEqualTo(1e-4);
    assertThat(
            List.of(recipe.alpha(), recipe.learningRate(), recipe.weightDecay(), recipe.clipNorm()))
        .containsExactly(0.03, 1e-4, 1e-4, 1.0);
    assertThat(recipe.microBatch() * recipe.accumulationSteps()).isEqualTo(256);
    assertThat(List.of(recipe.cosineTMax(), recipe.cosineStartEpoch(), recipe.cosineEtaMin()))
        .containsExactly(49, 2, 1e-5);
    // The file states the reference recipe exactly: what Recipe.reference() is, with the seed.
    Map<String, Object> reference = new java.util.HashMap<>(Recipe.reference().toMap());
    reference.put("log-every-steps", recipe.logEverySteps());
    assertThat(train.recipe(42).toMap()).isEqualTo(reference);
    assertThat(train.recipe(42).targets()).isEqualTo(ai.lvm.model.Readout.LAST);
    assertThat(train.recipe(42).negatives()).isEqualTo(Recipe.NegativeSource.IN_BATCH);
    assertThat(train.recipe(42).validationBank()).isEqualTo(Recipe.ValidationBank.SPLIT_TARGETS);

    // Eval's keys are there for the eval job (not validated from this module).
    assertThat(c.string("lvm.eval.bank")).isEqualTo("split-targets");
    assertThat(c.bool("lvm.eval.exclude-context")).isFalse();
  }
}
