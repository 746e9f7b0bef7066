package ai.lvm.train;

import ai.lvm.checkpoint.Checkpoint;
import ai.lvm.checkpoint.CheckpointException;
import ai.lvm.checkpoint.CheckpointRecord;
import ai.lvm.checkpoint.CheckpointStore;
import ai.lvm.checkpoint.EarlyStoppingState;
import ai.lvm.checkpoint.EpochRecord;
import ai.lvm.checkpoint.RunStatus;
import ai.lvm.checkpoint.TrainingResult;
import ai.lvm.config.InvalidInputException;
import ai.lvm.model.Baselines;
import ai.lvm.model.L2Norm;
import ai.lvm.model.LatentVectorModel;
import ai.lvm.model.Parameters;
import ai.lvm.model.Readout;
import ai.lvm.model.WindowAnalogue;
import ai.lvm.reader.ContextSegment;
import ai.lvm.reader.WindowBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop of one run: epochs of shuffled micro-batches, gradient accumulation,
 * global-norm clipping, AdamW, the per-epoch cosine schedule, validation Hit@K on the recipe's
 * cadence, early stopping on Hit@5, and best and last checkpoints after every epoch.
 *
 * <p>Resume is exact by construction: everything random is a pure function of (seed, epoch) (data
 * order through {@link TrainingData}, the ND4J generator re-seeded at each epoch start for
 * dropout), the learning rate is a function of the epoch, and the last checkpoint holds parameters,
 * buffers, optimizer moments, early-stopping state and history. A run restarted with the same run
 * id continues after the last completed epoch and ends where an uninterrupted run would.
 *
 * <p>A non-finite loss or gradient norm stops the run as {@link RunStatus#FAILED} with the reason;
 * nothing is written after the fault, so the last good checkpoint stays. Other exceptions
 * (unreadable data, invalid input) propagate to the caller.
 *
 * <p>Gradient accumulation: each micro-batch's gradient is the mean over its windows; an optimizer
 * step averages the gradients of its micro-batches (as the reference's {@code loss /
 * accumulation_steps}); the last group of an epoch may be shorter and is averaged over its own
 * count, then stepped, so no gradient leaks into the next epoch.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /** Recipe keys that may differ on resume: caps and logging do not change past epochs. */
  private static final List<String> MAY_CHANGE_ON_RESUME =
      List.of("max-epochs", "max-steps", "log-every-steps");

  private final Recipe recipe;
  private final CheckpointStore store;
  private final Map<String, Object> config;
  private final Loss loss;
  private final CosineSchedule schedule;

  /**
   * @param config the resolved configuration to record in checkpoints (not interpreted here)
   */
  public Trainer(Recipe recipe, CheckpointStore store, Map<String, Object> config) {
    this.recipe = Objects.requireNonNull(recipe, "recipe");
    this.store = Objects.requireNonNull(store, "store");
    this.config = new LinkedHashMap<>(config);
    this.loss = recipe.loss();
    this.schedule = recipe.schedule();
  }

  /** Mutable state of a run between epochs. */
  private static final class State {
    int epoch;
    long step;
    double learningRate;
    RunStatus status = RunStatus.RUNNING;
    CheckpointRecord.Selection selection = CheckpointRecord.Selection.none();
    final List<EpochRecord> history = new ArrayList<>();
    LearnedTemperature temperature; // null unless the recipe learns it
  }

  /** What one pass over the training split produced. */
  private record EpochPass(
      long windows,
      double loss,
      double mse,
      double cosine,
      double infonce,
      double gradNorm,
      String failure) {}

  /** Validation results of one epoch. */
  private record Validation(double loss, double cosine, HitAtK.Result hits) {}

  /** The best no-training baseline on the validation windows and bank. */
  private record Baseline(String name, double hit5) {}

  /** What the training loop needs beyond the model and data: negatives and validation's bank. */
  private static final class Setup {
    TrainStep step;
    CorpusBank bank; // null: rank among the validation split's targets
    Baseline baseline;
  }

  /**
   * Trains {@code model} on {@code data}, resuming from the run's last checkpoint when there is
   * one. Returns how the run ended; also written to the run's {@code status.json}.
   */
  public TrainingResult train(LatentVectorModel model, TrainingData data) {
    long started = System.nanoTime();
    Parameters params = model.parameters();
    AdamW optimizer = new AdamW(recipe.weightDecay());
    State s = new State();
    if (recipe.learnTemperature()) {
      s.temperature = new LearnedTemperature(recipe.temperature());
    }
    EarlyStopping stopping =
        new EarlyStopping(
            recipe.patience(), recipe.minDelta(), recipe.cadence(), EarlyStoppingState.initial());
    Optional<Checkpoint> last = store.load(CheckpointStore.Slot.LAST);
    if (last.isPresent()) {
      Checkpoint c = last.get();
      CheckpointRecord r = c.record();
      requireResumable(r, data);
      c.restoreInto(model, store.path(CheckpointStore.Slot.LAST).toString());
      CheckpointRecord.Progress p = r.progress();
      optimizer.restore(c.optimizer(), p.optimizerSteps());
      if (s.temperature != null) {
        s.temperature.restoreFrom(c.optimizer(), store.path(CheckpointStore.Slot.LAST).toString());
      }
      stopping =
          new EarlyStopping(
              recipe.patience(), recipe.minDelta(), recipe.cadence(), p.earlyStopping());
      s.epoch = p.epoch();
      s.step = p.step();
      s.learningRate = p.learningRate();
      s.selection = p.selection();
      s.status = RunStatus.fromId(p.status());
      s.history.addAll(p.history());
      LOG.info(
          "Run {}: resuming after epoch {} (step {}, status {}) from {}",
          store.runId(),
          s.epoch,
          s.step,
          s.status.id(),
          store.path(CheckpointStore.Slot.LAST));
    } else {
      LOG.info(
          "Run {}: training {} ({} parameters) on snapshot {}, recipe {}",
          store.runId(),
          model.type(),
          params.count(),
          data.snapshotId(),
          recipe.toMap());
    }
    Setup setup = setup(model, data);
    if (setup.bank != null && s.epoch == 0 && s.history.isEmpty()) {
      // Epoch 0: the untrained model (with the base head: exactly its base) is the first
      // candidate for best, so a run that never beats it keeps it.
      useCurrentTemperature(s);
      Validation v = validate(model, data, setup);
      EarlyStopping.Outcome outcome = stopping.record(0, v.hits().hit(5));
      s.history.add(epochRecord(0, s, null, 0, v, setup, 0));
      if (outcome.improved()) {
        s.selection =
            new CheckpointRecord.Selection(
                "val_hit5", 0, v.hits().hit(1), v.hits().hit(5), v.hits().hit(10));
        store.save(CheckpointStore.Slot.BEST, checkpoint(model, optimizer, stopping, data, s));
      }
      logEpoch(s, 1, started, model);
    }
    int sessionEpochs = 0;
    while (s.status != RunStatus.EARLY_STOPPED
        && s.epoch < recipe.maxEpochs()
        && !stepCapReached(s.step)) {
      int epoch = s.epoch + 1;
      long epochStart = System.nanoTime();
      double lr = schedule.lr(epoch);
      // Dropout and any other draw from ND4J's generator: a pure function of (seed, epoch).
      Nd4j.getRandom().setSeed(Seeds.mix(recipe.seed(), 1_000_000L + epoch));
      model.reseed(Seeds.mix(recipe.seed(), 2_000_000L + epoch));
      setup.step.reseed(Seeds.mix(recipe.seed(), 3_000_000L + epoch));
      EpochPass pass = trainEpoch(model, optimizer, data, epoch, lr, s, setup, started);
      if (pass.failure() != null) {
        return fail(model, data, s, pass.failure(), started);
      }
      boolean capped = stepCapReached(s.step);
      boolean finalEpoch = epoch >= recipe.maxEpochs() || capped;
      Validation v = null;
      EarlyStopping.Outcome outcome = null;
      if (stopping.shouldEvaluate(epoch) || finalEpoch) {
        useCurrentTemperature(s); // the validation loss at the temperature training reached
        v = validate(model, data, setup);
        if (!Double.isFinite(v.loss())) {
          return fail(
              model,
              data,
              s,
              "non-finite validation loss (" + v.loss() + ") after epoch " + epoch,
              started);
        }
        outcome = stopping.record(epoch, v.hits().hit(5));
      }
      s.history.add(
          epochRecord(epoch, s, pass, lr, v, setup, (System.nanoTime() - epochStart) / 1e9));
      s.epoch = epoch;
      s.learningRate = lr;
      s.status =
          outcome != null && outcome.stop()
              ? RunStatus.EARLY_STOPPED
              : epoch >= recipe.maxEpochs()
                  ? RunStatus.COMPLETED
                  : capped ? RunStatus.MAX_STEPS : RunStatus.RUNNING;
      if (outcome != null && outcome.improved()) {
        s.selection =
            new CheckpointRecord.Selection(
                "val_hit5", epoch, v.hits().hit(1), v.hits().hit(5), v.hits().hit(10));
        store.save(CheckpointStore.Slot.BEST, checkpoint(model, optimizer, stopping, data, s));
      }
      store.save(CheckpointStore.Slot.LAST, checkpoint(model, optimizer, stopping, data, s));
      sessionEpochs++;
      logEpoch(s, sessionEpochs, started, model);
    }
    TrainingResult result = result(model, data, s, s.status, reason(s), started);
    store.writeStatus(result);
    LOG.info(
        "Run {} {}: {} epochs, {} steps, best val Hit@5 {} at epoch {}",
        store.runId(),
        result.status().id(),
        result.epochs(),
        result.steps(),
        format(result.bestHit5()),
        result.bestEpoch());
    return result;
  }

  private EpochPass trainEpoch(
      LatentVectorModel model,
      AdamW optimizer,
      TrainingData data,
      int epoch,
      double lr,
      State s,
      Setup setup,
      long started) {
    Parameters params = model.parameters();
    params.zeroGradients();
    double sumLoss = 0;
    double sumMse = 0;
    double sumCos = 0;
    double sumNce = 0;
    double sumNorm = 0;
    int norms = 0;
    long windows = 0;
    int inGroup = 0;
    try (BatchStream batches = data.training(recipe.seed(), epoch, recipe.microBatch())) {
      while (!stepCapReached(s.step) && batches.hasNext()) {
        WindowBatch b = batches.next();
        useCurrentTemperature(s);
        Loss.Result r = setup.step.run(model, b);
        if (!Double.isFinite(r.total())) {
          return failure(
              "non-finite training loss ("
                  + r.total()
                  + ") at epoch "
                  + epoch
                  + ", step "
                  + (s.step + 1));
        }
        model.afterStep();
        if (s.temperature != null) {
          s.temperature.accumulate(r.dLogTemperature());
        }
        OffHeapGuard.check();
        int n = b.size();
        windows += n;
        sumLoss += r.total() * n;
        sumMse += r.mse() * n;
        sumCos += r.cosine() * n;
        sumNce += r.infonce() * n;
        inGroup++;
        if (inGroup == recipe.accumulationSteps()) {
          double norm = step(params, optimizer, s.temperature, inGroup, lr);
          if (!Double.isFinite(norm)) {
            return failure(
                "non-finite gradient norm (" + norm + ") at epoch " + epoch + ", step " + s.step);
          }
          sumNorm += norm;
          norms++;
          inGroup = 0;
          s.step++;
          if (recipe.logEverySteps() > 0 && s.step % recipe.logEverySteps() == 0) {
            LOG.info(
                "Run {} epoch {} step {}: loss {} lr {} elapsed {}",
                store.runId(),
                epoch,
                s.step,
                format(sumLoss / windows),
                String.format("%.3g", lr),
                duration((System.nanoTime() - started) / 1e9));
          }
        }
      }
      if (inGroup > 0) {
        double norm = step(params, optimizer, s.temperature, inGroup, lr);
        if (!Double.isFinite(norm)) {
          return failure(
              "non-finite gradient norm (" + norm + ") at epoch " + epoch + ", step " + s.step);
        }
        sumNorm += norm;
        norms++;
        s.step++;
      }
    }
    if (windows == 0) {
      throw new InvalidInputException(
          "Snapshot '"
              + data.snapshotId()
              + "' has no training windows for this context size: nothing to train on.");
    }
    return new EpochPass(
        windows,
        sumLoss / windows,
        sumMse / windows,
        sumCos / windows,
        sumNce / windows,
        norms == 0 ? 0 : sumNorm / norms,
        null);
  }

  /**
   * Negatives, read-out and validation bank of a run, from its recipe: all of it a function of the
   * data and the seed, so a resumed run rebuilds the same.
   */
  private Setup setup(LatentVectorModel model, TrainingData data) {
    Setup setup = new Setup();
    Readout targets = recipe.targets();
    if (!model.supports(targets)) {
      LOG.info(
          "Run {}: {} predicts from the whole window only; trained with targets = last",
          store.runId(),
          model.type());
      targets = Readout.LAST;
    }
    INDArray pool = null;
    if (recipe.negatives() == Recipe.NegativeSource.CORPUS) {
      pool = data.negativePool(recipe.negativePool(), Seeds.mix(recipe.seed(), 4_000_000L));
      LOG.info(
          "Run {}: {} training vectors in the negative pool, {} negatives per micro-batch",
          store.runId(),
          pool.size(0),
          Math.min(recipe.negativeCount(), pool.size(0)));
    }
    setup.step = new TrainStep(recipe, loss, targets, pool);
    if (recipe.validationBank() == Recipe.ValidationBank.CORPUS) {
      setup.bank =
          data.corpusBank()
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "validation-bank = corpus, but snapshot '"
                              + data.snapshotId()
                              + "' names no corpus. Set lvm.train.validation-bank ="
                              + " split-targets."));
    }
    return setup;
  }

  private EpochRecord epochRecord(
      int epoch, State s, EpochPass pass, double lr, Validation v, Setup setup, double seconds) {
    boolean trained = pass != null;
    return new EpochRecord(
        epoch,
        s.step,
        trained ? pass.windows() : 0,
        trained ? pass.loss() : Double.NaN,
        trained ? pass.mse() : Double.NaN,
        trained ? pass.cosine() : Double.NaN,
        trained ? pass.infonce() : Double.NaN,
        trained ? pass.gradNorm() : Double.NaN,
        lr,
        v == null ? null : v.loss(),
        v == null ? null : v.cosine(),
        v == null ? null : v.hits().hit(1),
        v == null ? null : v.hits().hit(5),
        v == null ? null : v.hits().hit(10),
        v == null ? null : v.hits().pool(),
        seconds,
        v == null || setup.baseline == null ? null : setup.baseline.name(),
        v == null || setup.baseline == null ? null : setup.baseline.hit5(),
        s.temperature != null ? s.temperature.value() : loss.temperature());
  }

  /**
   * Averages the accumulated gradients, clips, steps AdamW; returns the pre-clip norm of the
   * model's gradients, or NaN when a learned temperature's gradient is not finite (the run then
   * fails as for a non-finite norm). The temperature is stepped beside the model, outside clipping
   * ({@link LearnedTemperature}).
   */
  private double step(
      Parameters params,
      AdamW optimizer,
      LearnedTemperature temperature,
      int microBatches,
      double lr) {
    if (microBatches > 1) {
      params.gradients().values().forEach(g -> g.divi(microBatches));
    }
    double norm = GradientClipping.clipByGlobalNorm(params.gradients().values(), recipe.clipNorm());
    if (temperature != null && !Double.isFinite(temperature.gradient())) {
      norm = Double.NaN;
    }
    if (Double.isFinite(norm)) {
      optimizer.step(params, lr);
      if (temperature != null) {
        temperature.step(optimizer, microBatches, lr);
      }
    }
    params.zeroGradients();
    return norm;
  }

  /** Hands a learned temperature's current value to the loss (a fixed one is the loss's own). */
  private void useCurrentTemperature(State s) {
    if (s.temperature != null) {
      loss.setTemperature(s.temperature.value());
    }
  }

  /**
   * Validation Hit@K of the model's whole-window predictions: among the validation split's targets
   * (the reference), or against the corpus bank with each window's own context left out, as
   * evaluation ranks. With the corpus bank the best of the copy-last and mean-last-k baselines on
   * the same windows is measured once (it does not depend on the model) and kept in {@code setup}.
   */
  private Validation validate(LatentVectorModel model, TrainingData data, Setup setup) {
    List<INDArray> predictions = new ArrayList<>();
    List<INDArray> targets = new ArrayList<>();
    List<List<ContextSegment>> segments = new ArrayList<>();
    Map<String, List<INDArray>> baselines = new LinkedHashMap<>();
    boolean measureBaselines = setup.bank != null && setup.baseline == null;
    double sumLoss = 0;
    double sumCos = 0;
    long windows = 0;
    try (BatchStream batches = data.validation(recipe.microBatch())) {
      while (batches.hasNext()) {
        WindowBatch b = batches.next();
        OffHeapGuard.check();
        INDArray p = model.forward(b.contexts(), false);
        Loss.Result r = loss.compute(p, b.targets(), setup.step.fixedNegatives());
        sumLoss += r.total() * b.size();
        sumCos += r.cosine() * b.size();
        windows += b.size();
        predictions.add(p.castTo(DataType.FLOAT).dup());
        targets.add(b.targets());
        if (setup.bank != null) {
          if (b.segments() == null) {
            throw new IllegalStateException("validation batches carry no context segments");
          }
          segments.addAll(b.segments());
        }
        if (measureBaselines) {
          for (Map.Entry<String, UnaryOperator<INDArray>> e : VALIDATION_BASELINES.entrySet()) {
            baselines
                .computeIfAbsent(e.getKey(), x -> new ArrayList<>())
                .add(e.getValue().apply(b.contexts()));
          }
        }
      }
    }
    if (windows == 0) {
      throw new InvalidInputException(
          "Snapshot '"
              + data.snapshotId()
              + "' has no validation windows for this context size: Hit@K cannot be measured.");
    }
    INDArray allTargets = Nd4j.concat(0, targets.toArray(INDArray[]::new));
    INDArray allPredictions = Nd4j.concat(0, predictions.toArray(INDArray[]::new));
    if (setup.bank == null) {
      return new Validation(
          sumLoss / windows, sumCos / windows, HitAtK.evaluate(allPredictions, allTargets));
    }
    INDArray unitTargets = L2Norm.unitRows(allTargets.castTo(DataType.FLOAT));
    if (measureBaselines) {
      Baseline best = null;
      for (Map.Entry<String, List<INDArray>> e : baselines.entrySet()) {
        INDArray p = Nd4j.concat(0, e.getValue().toArray(INDArray[]::new));
        double hit5 =
            new HitAtK.Result(setup.bank.ranks(p, unitTargets, segments), setup.bank.size()).hit(5);
        if (best == null || hit5 > best.hit5()) {
          best = new Baseline(e.getKey(), hit5);
        }
      }
      setup.baseline = best;
    }
    int[] ranks =
        setup.bank.ranks(
            L2Norm.unitRows(allPredictions.castTo(DataType.FLOAT)), unitTargets, segments);
    return new Validation(
        sumLoss / windows, sumCos / windows, new HitAtK.Result(ranks, setup.bank.size()));
  }

  /**
   * The baselines validation measures, by name, in the order ties go: evaluation's defaults
   * (copy-last, mean-last-3, mean-last-5, context-ar-5), so training_history names the bar the
   * report will.
   */
  private static final Map<String, UnaryOperator<INDArray>> VALIDATION_BASELINES =
      validationBaselines();

  private static Map<String, UnaryOperator<INDArray>> validationBaselines() {
    Map<String, UnaryOperator<INDArray>> m = new LinkedHashMap<>();
    for (int k : new int[] {1, 3, 5}) {
      m.put(Baselines.name(k), x -> Baselines.meanLastK(x, k));
    }
    m.put(Baselines.contextArName(5), x -> Baselines.contextAr(x, 5));
    return m;
  }

  private void requireResumable(CheckpointRecord r, TrainingData data) {
    String where = store.path(CheckpointStore.Slot.LAST).toString();
    if (!Objects.equals(r.run().snapshotId(), data.snapshotId())) {
      throw new CheckpointException(
          "Incompatible checkpoint at "
              + where
              + ": it was trained on snapshot '"
              + r.run().snapshotId()
              + "', this run reads '"
              + data.snapshotId()
              + "'. Use a new run id.");
    }
    Map<String, Object> saved;
    try {
      saved = Recipe.fromMap(r.run().recipe()).toMap();
    } catch (RuntimeException e) {
      throw new CheckpointException(
          "Incompatible checkpoint at " + where + ": its recipe is unreadable: " + e.getMessage(),
          e);
    }
    Map<String, Object> now = recipe.toMap();
    TreeSet<String> differing = new TreeSet<>();
    for (String key : now.keySet()) {
      if (!MAY_CHANGE_ON_RESUME.contains(key) && !Objects.equals(saved.get(key), now.get(key))) {
        differing.add(key + " (" + saved.get(key) + " there, " + now.get(key) + " now)");
      }
    }
    if (!differing.isEmpty()) {
      throw new CheckpointException(
          "Incompatible checkpoint at "
              + where
              + ": the recipe differs in "
              + differing
              + "; resuming would not reproduce the run. Use a new run id.");
    }
  }

  private Checkpoint checkpoint(
      LatentVectorModel model,
      AdamW optimizer,
      EarlyStopping stopping,
      TrainingData data,
      State s) {
    CheckpointRecord record =
        CheckpointRecord.unsaved(
            new CheckpointRecord.Run(
                store.runId(), data.snapshotId(), recipe.seed(), recipe.toMap(), config),
            new CheckpointRecord.Model(
                model.type(),
                model.dimension(),
                model.parameters().count(),
                model.spec(),
                data.contextSize()),
            new CheckpointRecord.Progress(
                s.epoch,
                s.step,
                s.status.id(),
                s.learningRate,
                stopping.state(),
                new LinkedHashMap<>(optimizer.steps()),
                List.copyOf(s.history),
                s.selection));
    Map<String, INDArray> optimizerState = optimizer.state();
    if (s.temperature != null) {
      s.temperature.saveInto(optimizerState);
    }
    return new Checkpoint(record, model.parameters().values(), model.buffers(), optimizerState);
  }

  private TrainingResult fail(
      LatentVectorModel model, TrainingData data, State s, String reason, long started) {
    LOG.error(
        "Run {} failed: {}. The last good checkpoint (epoch {}) is kept at {}",
        store.runId(),
        reason,
        s.epoch,
        store.path(CheckpointStore.Slot.LAST));
    TrainingResult result = result(model, data, s, RunStatus.FAILED, reason, started);
    store.writeStatus(result);
    return result;
  }

  private TrainingResult result(
      LatentVectorModel model,
      TrainingData data,
      State s,
      RunStatus status,
      String reason,
      long started) {
    return new TrainingResult(
        store.runId(),
        status,
        reason,
        model.type(),
        model.parameters().count(),
        data.snapshotId(),
        s.epoch,
        s.step,
        s.selection.bestEpoch(),
        s.selection.hit1(),
        s.selection.hit5(),
        s.selection.hit10(),
        List.copyOf(s.history),
        (System.nanoTime() - started) / 1e9);
  }

  private String reason(State s) {
    return switch (s.status) {
      case EARLY_STOPPED ->
          "validation Hit@5 did not improve for "
              + recipe.patience()
              + " evaluations (best at epoch "
              + s.selection.bestEpoch()
              + ")";
      case COMPLETED -> "reached max-epochs " + recipe.maxEpochs();
      case MAX_STEPS -> "reached max-steps " + recipe.maxSteps().orElse(0);
      default -> "stopped at epoch " + s.epoch;
    };
  }

  private boolean stepCapReached(long step) {
    return recipe.maxSteps().isPresent() && step >= recipe.maxSteps().getAsLong();
  }

  private void logEpoch(State s, int sessionEpochs, long started, LatentVectorModel model) {
    EpochRecord e = s.history.get(s.history.size() - 1);
    double elapsed = (System.nanoTime() - started) / 1e9;
    double eta = elapsed / sessionEpochs * (recipe.maxEpochs() - s.epoch);
    // Epoch 0 is the untrained model's validation: it has no training loss to print (its history
    // row holds NaN there), and "loss NaN" would read as a diverged run.
    String training =
        e.epoch() == 0
            ? "untrained"
            : String.format(
                "loss %s (mse %s cos %s nce %s) |g| %s",
                format(e.loss()),
                format(e.mse()),
                format(e.cosine()),
                format(e.infonce()),
                format(e.gradNorm()));
    double[] analogue = WindowAnalogue.headWeights(model.parameters());
    LOG.info(
        "Run {} epoch {}/{} step {}: {} val Hit@1/5/10 {}/{}/{}"
            + " of {} (best baseline {} Hit@5 {}) lr {}{}{} epoch {} elapsed {} eta <= {}",
        store.runId(),
        e.epoch(),
        recipe.maxEpochs(),
        e.step(),
        training,
        format(e.valHit1()),
        format(e.valHit5()),
        format(e.valHit10()),
        e.valPool() == null ? "-" : e.valPool(),
        e.valBaseline() == null ? "-" : e.valBaseline(),
        format(e.valBaselineHit5()),
        String.format("%.3g", e.learningRate()),
        s.temperature == null ? "" : String.format(" tau %.4f", s.temperature.value()),
        analogue == null
            ? ""
            : String.format(" analogue alpha/gamma %.3f/%.3f", analogue[0], analogue[1]),
        duration(e.seconds()),
        duration(elapsed),
        duration(s.status == RunStatus.RUNNING ? eta : 0));
  }

  private static EpochPass failure(String reason) {
    return new EpochPass(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, reason);
  }

  private static String format(Double v) {
    return v == null ? "-" : String.format("%.4f", v);
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
        : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : String.format("%.1fs", seconds);
  }
}
