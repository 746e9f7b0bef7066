package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.lvm.checkpoint.CheckpointException;
import ai.lvm.checkpoint.CheckpointRecord;
import ai.lvm.checkpoint.CheckpointStore;
import ai.lvm.checkpoint.EpochRecord;
import ai.lvm.checkpoint.RunStatus;
import ai.lvm.checkpoint.TrainingResult;
import ai.lvm.config.InvalidInputException;
import ai.lvm.format.Snapshot;
import ai.lvm.format.Split;
import ai.lvm.model.Baselines;
import ai.lvm.model.L2Norm;
import ai.lvm.reader.ContextSegment;
import ai.lvm.reader.WindowBatch;
import ai.lvm.reader.WindowReader;
import ai.lvm.testing.SparkTests;
import ai.lvm.testing.TestCorpora;
import ai.lvm.window.SyntheticWalk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The trainer end to end on a tiny snapshot exported by the real ExportJob. */
class TrainerTest {
  private static final int D = 8;
  private static final int C = 4;
  @TempDir static Path dir;
  private static Snapshot snapshot;
  private static SnapshotData data;

  @BeforeAll
  static void exportASnapshot() {
    // Walks with a learnable rotation: a linear model beats copying the last vector.
    SyntheticWalk walk = new SyntheticWalk(D, 1, 0.05, 11);
    SparkSession spark = SparkTests.start("TrainerTest");
    try {
      TestCorpora.exportSnapshot(
          spark, dir, dir, "t1", List.of(C), TestCorpora.walks(walk, 40, 30), Map.of());
    } finally {
      spark.stop();
    }
    snapshot = Snapshot.open(dir.toString(), Optional.empty(), new Configuration());
    data = SnapshotData.open(snapshot, C, D, false, 64L << 10, new Configuration());
    assertThat(snapshot.manifest().contextSize(C).orElseThrow().windows().get("val")).isPositive();
  }

  private static Recipe recipe(int maxEpochs, Map<String, Object> extra) {
    Map<String, Object> m = new HashMap<>();
    m.put("learning-rate", 0.02);
    m.put("micro-batch", 8);
    m.put("accumulation-steps", 2);
    m.put("max-epochs", maxEpochs);
    m.put("schedule.t-max", 20);
    m.put("schedule.min-learning-rate", 1e-4);
    m.put("log-every-steps", 0);
    m.put("seed", 7);
    // every epoch evaluated and the schedule stepped from the first (the reference: from epoch 2)
    m.put("eval-cadence", "every-epoch");
    m.put("schedule.start-epoch", 1);
    m.putAll(extra);
    return Recipe.fromMap(m);
  }

  private static CheckpointStore store(String runId) {
    return new CheckpointStore(dir.toString(), runId, new Configuration());
  }

  private static TrainingResult train(
      String runId, Recipe recipe, ai.lvm.model.LatentVectorModel m) {
    return new Trainer(recipe, store(runId), Map.of("test", runId)).train(m, data);
  }

  private static List<Long> epochOrder(long seed, int epoch) {
    List<Long> ids = new ArrayList<>();
    try (BatchStream s = data.training(seed, epoch, 8)) {
      while (s.hasNext()) {
        WindowBatch b = s.next();
        for (long id : b.windowIds()) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  @Test
  void shuffleIsAPureFunctionOfSeedAndEpochAndVisitsEveryWindowOnce() {
    List<Long> stored = new ArrayList<>();
    try (WindowReader r =
        WindowReader.open(new Configuration(), snapshot.data(C, Split.TRAIN), C, D)) {
      Optional<WindowBatch> b;
      while ((b = r.next(64)).isPresent()) {
        for (long id : b.get().windowIds()) {
          stored.add(id);
        }
      }
    }
    List<Long> first = epochOrder(7, 1);
    assertThat(epochOrder(7, 1)).isEqualTo(first);
    assertThat(epochOrder(7, 2)).isNotEqualTo(first).containsExactlyInAnyOrderElementsOf(stored);
    assertThat(first).containsExactlyInAnyOrderElementsOf(stored).isNotEqualTo(stored);
  }

  @Test
  void lossDecreasesAndEarlyStoppingFires() {
    TrainingResult r = train("learn", recipe(60, Map.of()), new LinearResidualModel(D, 1));
    assertThat(r.status()).isEqualTo(RunStatus.EARLY_STOPPED);
    assertThat(r.epochs()).isLessThan(60);
    List<EpochRecord> h = r.history();
    assertThat(h.get(h.size() - 1).loss()).isLessThan(h.get(0).loss() * 0.9);
    assertThat(h).allSatisfy(e -> assertThat(e.valHit5()).isNotNull());
    assertThat(h.get(h.size() - 1).cosine()).isGreaterThan(h.get(0).cosine());
    CheckpointRecord best = store("learn").loadRecord(CheckpointStore.Slot.BEST).orElseThrow();
    assertThat(best.progress().epoch()).isEqualTo(r.bestEpoch());
    assertThat(best.progress().selection().hit5()).isEqualTo(r.bestHit5());
    assertThat(r.epochs() - r.bestEpoch()).isEqualTo(3);
    assertThat(
            store("learn").loadRecord(CheckpointStore.Slot.LAST).orElseThrow().progress().status())
        .isEqualTo("early-stopped");
    // Restarting a finished run does not train further.
    TrainingResult again = train("learn", recipe(60, Map.of()), new LinearResidualModel(D, 5));
    assertThat(again.epochs()).isEqualTo(r.epochs());
    assertThat(again.status()).isEqualTo(RunStatus.EARLY_STOPPED);
  }

  /**
   * With the corpus bank, training_history's best baseline is the best of evaluation's defaults
   * (copy-last, mean-last-3, mean-last-5, context-ar-5), each ranked here over the validation
   * windows outside the trainer.
   */
  @Test
  void validationRecordsTheBestOfEvaluationsDefaultBaselines() {
    TrainingResult r =
        train(
            "baselines",
            recipe(1, Map.of("validation-bank", "corpus")),
            new LinearResidualModel(D, 1));
    CorpusBank bank = data.corpusBank().orElseThrow();
    Map<String, java.util.function.UnaryOperator<INDArray>> baselines =
        Map.of(
            "copy-last", x -> Baselines.meanLastK(x, 1),
            "mean-last-3", x -> Baselines.meanLastK(x, 3),
            "mean-last-5", x -> Baselines.meanLastK(x, 5),
            "context-ar-5", x -> Baselines.contextAr(x, 5));
    Map<String, Double> hit5 = new HashMap<>();
    baselines.forEach(
        (name, predict) -> {
          List<INDArray> predictions = new ArrayList<>();
          List<INDArray> targets = new ArrayList<>();
          List<List<ContextSegment>> segments = new ArrayList<>();
          try (WindowReader reader =
              WindowReader.openWithSegments(
                  new Configuration(), snapshot.data(C, Split.VAL), C, D)) {
            Optional<WindowBatch> b;
            while ((b = reader.next(16)).isPresent()) {
              predictions.add(predict.apply(b.get().contexts()));
              targets.add(b.get().targets());
              segments.addAll(b.get().segments());
            }
          }
          int[] ranks =
              bank.ranks(
                  Nd4j.concat(0, predictions.toArray(INDArray[]::new)),
                  L2Norm.unitRows(Nd4j.concat(0, targets.toArray(INDArray[]::new))),
                  segments);
          hit5.put(name, new HitAtK.Result(ranks, bank.size()).hit(5));
        });
    double best = hit5.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    EpochRecord untrained = r.history().get(0);
    assertThat(untrained.valBaselineHit5()).isEqualTo(best);
    assertThat(hit5.get(untrained.valBaseline())).isEqualTo(best);
    // On these rotation walks the window's own autoregression is the bar, far above the means.
    assertThat(untrained.valBaseline()).isEqualTo("context-ar-5");
    assertThat(best).isGreaterThan(hit5.get("mean-last-3") + 0.1);
  }

  @Test
  void referenceCadenceEvaluatesScheduledEpochsAndTheLast() {
    TrainingResult r =
        train(
            "cadence",
            recipe(7, Map.of("eval-cadence", "reference", "schedule.start-epoch", 2)),
            new LinearResidualModel(D, 1));
    List<EpochRecord> h = r.history();
    assertThat(h).hasSize(7);
    assertThat(h.get(0).valHit5()).isNotNull();
    for (int e = 2; e <= 5; e++) {
      assertThat(h.get(e - 1).valHit5()).as("epoch %d", e).isNull();
    }
    assertThat(h.get(5).valHit5()).isNotNull();
    assertThat(h.get(6).valHit5()).isNotNull();
    assertThat(h.get(0).learningRate()).isEqualTo(h.get(1).learningRate());
    assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
  }

  @Test
  void resumeAfterAKillEndsWhereAnUninterruptedRunDoes() {
    Recipe recipe = recipe(5, Map.of());
    TrainingResult whole = train("whole", recipe, new LinearResidualModel(D, 1));
    int batches = (int) Math.ceil(whole.history().get(0).windows() / 8.0);

    FaultyModel killed =
        new FaultyModel(new LinearResidualModel(D, 1), 2 * batches + 3, FaultyModel.Fault.KILL);
    assertThatThrownBy(() -> train("resumed", recipe, killed)).hasMessage("simulated kill");
    assertThat(
            store("resumed").loadRecord(CheckpointStore.Slot.LAST).orElseThrow().progress().epoch())
        .isEqualTo(2);

    // A fresh process: another initialisation, everything comes from the checkpoint.
    TrainingResult resumed = train("resumed", recipe, new LinearResidualModel(D, 999));
    assertThat(resumed.status()).isEqualTo(whole.status());
    assertThat(resumed.steps()).isEqualTo(whole.steps());
    assertThat(resumed.bestEpoch()).isEqualTo(whole.bestEpoch());
    assertThat(resumed.history())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("seconds")
        .containsExactlyElementsOf(whole.history());
    var a = store("whole").load(CheckpointStore.Slot.LAST).orElseThrow();
    var b = store("resumed").load(CheckpointStore.Slot.LAST).orElseThrow();
    for (String name : a.parameters().keySet()) {
      assertThat(b.parameters().get(name).data().asFloat())
          .as(name)
          .containsExactly(a.parameters().get(name).data().asFloat());
    }
    assertThat(b.buffers().get("mean_output").data().asFloat())
        .containsExactly(a.buffers().get("mean_output").data().asFloat());
    assertThat(b.optimizer().get("w/v").data().asFloat())
        .containsExactly(a.optimizer().get("w/v").data().asFloat());

    // Resuming with a different recipe would not reproduce the run: refused, naming the field.
    assertThatThrownBy(
            () ->
                train(
                    "resumed",
                    recipe(8, Map.of("learning-rate", 0.05)),
                    new LinearResidualModel(D, 1)))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("learning-rate (0.02 there, 0.05 now)");
  }

  /**
   * learn-temperature on the reference's in-batch negatives: the temperature moves away from its
   * initial value, is kept in the checkpoint's optimizer state, and a run killed mid-epoch resumes
   * with it (and its AdamW moments) exactly: the same history, parameters and temperature, bit for
   * bit, as the uninterrupted run.
   */
  @Test
  void aLearnedTemperatureMovesAndResumesExactly() {
    Recipe recipe = recipe(4, Map.of("learn-temperature", true, "temperature", 0.3));
    TrainingResult whole = train("tau-whole", recipe, new LinearResidualModel(D, 1));
    int batches = (int) Math.ceil(whole.history().get(0).windows() / 8.0);
    FaultyModel killed =
        new FaultyModel(new LinearResidualModel(D, 1), 2 * batches + 3, FaultyModel.Fault.KILL);
    assertThatThrownBy(() -> train("tau-resumed", recipe, killed)).hasMessage("simulated kill");
    var atKill = store("tau-resumed").load(CheckpointStore.Slot.LAST).orElseThrow();
    double logTauAtKill = atKill.optimizer().get(LearnedTemperature.NAME).getDouble(0);
    TrainingResult resumed = train("tau-resumed", recipe, new LinearResidualModel(D, 999));

    assertThat(resumed.history())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("seconds")
        .containsExactlyElementsOf(whole.history());
    var a = store("tau-whole").load(CheckpointStore.Slot.LAST).orElseThrow();
    var b = store("tau-resumed").load(CheckpointStore.Slot.LAST).orElseThrow();
    for (String name : a.parameters().keySet()) {
      assertThat(b.parameters().get(name).data().asFloat())
          .as(name)
          .containsExactly(a.parameters().get(name).data().asFloat());
    }
    for (String name :
        List.of(
            LearnedTemperature.NAME,
            LearnedTemperature.NAME + "/m",
            LearnedTemperature.NAME + "/v")) {
      assertThat(b.optimizer().get(name).data().asDouble())
          .as(name)
          .containsExactly(a.optimizer().get(name).data().asDouble());
    }
    assertThat(b.record().progress().optimizerSteps())
        .isEqualTo(a.record().progress().optimizerSteps())
        .containsEntry(LearnedTemperature.NAME, whole.steps());

    // It moved: from log 0.3 by the epochs' steps (AdamW moves a scalar by about lr = 0.02 a
    // step), and kept moving after the kill, inside the clamp.
    double logTau = a.optimizer().get(LearnedTemperature.NAME).getDouble(0);
    System.out.printf(
        "learned temperature: 0.3 -> %.4f after epoch 2 -> %.4f after %d steps%n",
        Math.exp(logTauAtKill), Math.exp(logTau), whole.steps());
    assertThat(Math.abs(logTau - Math.log(0.3))).isGreaterThan(0.05);
    assertThat(logTau).isNotEqualTo(logTauAtKill);
    assertThat(Math.exp(logTau)).isBetween(0.01, 1.0);
    assertThat(whole.history().get(whole.history().size() - 1).valHit5()).isNotNull();
    // training_history shows the temperature each epoch ended at.
    assertThat(whole.history().get(0).epoch()).isEqualTo(1);
    assertThat(Math.abs(whole.history().get(0).temperature() - 0.3)).isGreaterThan(0.01);
    assertThat(whole.history().get(whole.history().size() - 1).temperature())
        .isCloseTo(Math.exp(logTau), within(1e-12));

    // A fixed temperature checkpoints no temperature (and its run is as before the key existed).
    train("tau-fixed", recipe(1, Map.of()), new LinearResidualModel(D, 1));
    assertThat(store("tau-fixed").load(CheckpointStore.Slot.LAST).orElseThrow().optimizer())
        .doesNotContainKeys(
            LearnedTemperature.NAME,
            LearnedTemperature.NAME + "/m",
            LearnedTemperature.NAME + "/v");
  }

  @Test
  void resumeIsExactForTheReferenceModelWithDropout() {
    ai.lvm.model.ModelSpec spec =
        new ai.lvm.model.ModelSpec(
            "memory-gru", D, 6, 2, 4, 0.3, ai.lvm.model.PredictionMode.RESIDUAL, 7);
    Recipe recipe = recipe(3, Map.of());
    TrainingResult whole = train("mg-whole", recipe, ai.lvm.model.Models.create(spec));
    int batches = (int) Math.ceil(whole.history().get(0).windows() / 8.0);
    FaultyModel killed =
        new FaultyModel(ai.lvm.model.Models.create(spec), batches + 2, FaultyModel.Fault.KILL);
    assertThatThrownBy(() -> train("mg-resumed", recipe, killed)).hasMessage("simulated kill");
    TrainingResult resumed = train("mg-resumed", recipe, ai.lvm.model.Models.create(spec));
    assertThat(resumed.history())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("seconds")
        .containsExactlyElementsOf(whole.history());
    var a = store("mg-whole").load(CheckpointStore.Slot.LAST).orElseThrow();
    var b = store("mg-resumed").load(CheckpointStore.Slot.LAST).orElseThrow();
    for (String name : a.parameters().keySet()) {
      assertThat(b.parameters().get(name).data().asFloat())
          .as(name)
          .containsExactly(a.parameters().get(name).data().asFloat());
    }
    assertThat(b.buffers().get("memory.memory").data().asFloat())
        .containsExactly(a.buffers().get("memory.memory").data().asFloat());
  }

  @Test
  void aNanLossFailsTheRunAndKeepsTheLastGoodCheckpoint() throws java.io.IOException {
    Recipe recipe = recipe(5, Map.of());
    int batches =
        (int)
            Math.ceil(
                snapshot.manifest().contextSize(C).orElseThrow().windows().get("train") / 8.0);
    FaultyModel diverging =
        new FaultyModel(new LinearResidualModel(D, 1), 2 * batches + 1, FaultyModel.Fault.NAN);
    TrainingResult r = train("nan", recipe, diverging);
    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.reason()).contains("non-finite training loss").contains("epoch 3");
    assertThat(r.epochs()).isEqualTo(2);
    var last = store("nan").load(CheckpointStore.Slot.LAST).orElseThrow();
    assertThat(last.record().progress().epoch()).isEqualTo(2);
    assertThat(last.record().progress().status()).isEqualTo("running");
    for (INDArray p : last.parameters().values()) {
      assertThat(p.isNaN().any() || p.isInfinite().any()).isFalse();
    }
    assertThat(Files.readString(statusFile("nan"))).contains("\"status\" : \"failed\"");
  }

  @Test
  void maxStepsEndsTheRunMidEpoch() {
    TrainingResult r =
        train("capped", recipe(5, Map.of("max-steps", 5)), new LinearResidualModel(D, 1));
    assertThat(r.status()).isEqualTo(RunStatus.MAX_STEPS);
    assertThat(r.steps()).isEqualTo(5);
    assertThat(r.epochs()).isEqualTo(1);
    assertThat(r.history().get(0).windows()).isEqualTo(5 * 2 * 8);
    assertThat(r.history().get(0).valHit5()).isNotNull();
  }

  @Test
  void aModelOfAnotherDimensionIsRefused() {
    assertThatThrownBy(
            () -> SnapshotData.open(snapshot, C, D + 1, false, 1 << 20, new Configuration()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("dimension " + D + " but the model is configured for " + (D + 1));
  }

  @Test
  void aCheckpointOfAnotherSnapshotIsRefused() {
    train("moved", recipe(1, Map.of()), new LinearResidualModel(D, 1));
    TrainingData elsewhere = renamed(data, "t2", false);
    assertThatThrownBy(
            () ->
                new Trainer(recipe(2, Map.of()), store("moved"), Map.of())
                    .train(new LinearResidualModel(D, 1), elsewhere))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(
            "Incompatible checkpoint at "
                + store("moved").path(CheckpointStore.Slot.LAST)
                + ": it was trained on snapshot 't1', this run reads 't2'. Use a new run id.");
  }

  @Test
  void aSplitWithoutValidationWindowsIsRefused() {
    assertThatThrownBy(
            () ->
                new Trainer(recipe(1, Map.of()), store("no-val"), Map.of())
                    .train(new LinearResidualModel(D, 1), renamed(data, "t1", true)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Snapshot 't1' has no validation windows for this context size: Hit@K cannot be"
                + " measured.");
  }

  /** {@code inner} under another snapshot id, optionally without validation windows. */
  private static TrainingData renamed(TrainingData inner, String id, boolean noValidation) {
    return new TrainingData() {
      @Override
      public String snapshotId() {
        return id;
      }

      @Override
      public int contextSize() {
        return inner.contextSize();
      }

      @Override
      public BatchStream training(long seed, int epoch, int microBatch) {
        return inner.training(seed, epoch, microBatch);
      }

      @Override
      public BatchStream validation(int batchSize) {
        if (!noValidation) {
          return inner.validation(batchSize);
        }
        return new BatchStream() {
          @Override
          public boolean hasNext() {
            return false;
          }

          @Override
          public WindowBatch next() {
            throw new java.util.NoSuchElementException();
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  private static Path statusFile(String runId) {
    return dir.resolve("runs").resolve(runId).resolve(CheckpointStore.STATUS_FILE);
  }
}
