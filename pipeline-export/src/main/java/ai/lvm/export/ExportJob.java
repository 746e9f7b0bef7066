package ai.lvm.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.export.ExportConfig.OnInsufficient;
import ai.lvm.format.Json;
import ai.lvm.format.Protocol;
import ai.lvm.format.Publisher;
import ai.lvm.format.SnapshotLayout;
import ai.lvm.format.SnapshotManifest;
import ai.lvm.format.Split;
import ai.lvm.format.WindowSchema;
import ai.lvm.job.BuildInfo;
import ai.lvm.job.Job;
import ai.lvm.job.JobMain;
import ai.lvm.window.SeedSplit;
import ai.lvm.window.WindowMath;
import ai.lvm.window.WindowMath.Blocks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window export: a vector corpus in, one published snapshot of context windows out.
 *
 * <p>Validates the corpus ({@link CorpusValidation}), lays it out as ordered streams ({@link
 * Streams}), cuts the windows of every context size and split ({@link WindowCutter}) into a staging
 * directory, applies the data-sufficiency gate, writes the manifest last and publishes by rename
 * ({@link Publisher}). Re-running a published snapshot id does nothing.
 */
public final class ExportJob implements Job<ExportConfig, ExportJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(ExportJob.class);

  /** What the export did: the manifest, and whether it was already there. */
  public record Result(SnapshotManifest manifest, String location, boolean alreadyPublished) {}

  public static void main(String[] args) {
    JobMain.main(new ExportJob(), args);
  }

  @Override
  public String name() {
    return "lvm-export";
  }

  @Override
  public Set<String> stages() {
    return Set.of("spark", "export");
  }

  @Override
  public ExportConfig configure(LvmConfig config) {
    return ExportConfig.from(config);
  }

  @Override
  public Result run(SparkSession spark, ExportConfig cfg) {
    SnapshotLayout layout = new SnapshotLayout(cfg.root());
    Publisher publisher = layout.publisher(spark.sparkContext().hadoopConfiguration());
    String id = cfg.snapshotId();
    if (publisher.isPublished(id)) {
      SnapshotManifest existing =
          Json.read(publisher.readRecord(id).orElseThrow(), SnapshotManifest.class);
      LOG.info("Snapshot {} is already published; nothing to do", id);
      return new Result(existing, publisher.path(id).toString(), true);
    }

    CorpusValidation.Result corpus = CorpusValidation.run(spark, cfg.corpus(), cfg.onBadRows());
    Streams.Result streams;
    try {
      streams = Streams.build(spark, corpus, cfg.protocol(), cfg.split());
    } finally {
      corpus.release();
    }
    try {
      List<Plan> plans = plan(cfg, streams, corpus.dimension());
      Path staged = publisher.stage(id);
      try {
        List<SnapshotManifest.ContextSize> sizes = new ArrayList<>();
        for (Plan plan : plans) {
          sizes.add(export(spark, cfg, streams, plan, staged));
        }
        SnapshotManifest manifest = manifest(cfg, corpus, streams, sizes);
        rejectInsufficient(cfg, sizes);
        publisher.publish(staged, id, Json.write(manifest));
        LOG.info("Published snapshot {} at {}", id, publisher.path(id));
        return new Result(manifest, publisher.path(id).toString(), false);
      } catch (Throwable e) { // Spark rethrows checked SparkExceptions undeclared
        publisher.discard(staged);
        throw e;
      }
    } finally {
      streams.chunks().unpersist();
    }
  }

  /**
   * One context size: its strides and, per split, how many windows its stream yields.
   *
   * @param stride the training windows' stride
   * @param evalStride the val and test windows' stride (the seed protocol: {@code stride})
   */
  record Plan(
      int contextSize,
      int stride,
      int evalStride,
      int dimension,
      Map<Split, Long> streamWindows,
      SeedSplit seedSplit) {

    int strideOf(Split split) {
      return split == Split.TRAIN ? stride : evalStride;
    }
  }

  /** Computes every context size's window counts, failing before any work where it can. */
  static List<Plan> plan(ExportConfig cfg, Streams.Result streams, int dimension) {
    List<Plan> plans = new ArrayList<>();
    long longest = streams.lengths().values().stream().mapToLong(Long::longValue).max().orElse(0);
    List<String> tooLong = new ArrayList<>();
    List<String> insufficient = new ArrayList<>();
    for (int c : cfg.contextSizes()) {
      int stride = cfg.strideFor(c);
      int evalStride = cfg.strideFor(c, Split.TEST);
      Map<Split, Long> windows = new LinkedHashMap<>();
      SeedSplit seed = null;
      if (cfg.protocol() == Protocol.SEED) {
        long n =
            WindowMath.windowCount(
                streams.lengths().getOrDefault(Streams.ALL, 0L), c, stride, Protocol.SEED);
        seed =
            new SeedSplit(
                n, cfg.seed(), SeedSplit.REFERENCE_FRACTION, SeedSplit.REFERENCE_FRACTION);
        windows.put(Split.TRAIN, seed.trainCount());
        windows.put(Split.VAL, seed.valCount());
        windows.put(Split.TEST, seed.testCount());
      } else {
        for (Split s : Split.values()) {
          windows.put(
              s,
              WindowMath.windowCount(
                  streams.lengths().getOrDefault(s.id(), 0L),
                  c,
                  cfg.strideFor(c, s),
                  Protocol.ARTICLE));
        }
      }
      if (windows.values().stream().allMatch(n -> n == 0)) {
        tooLong.add("C=" + c + " (stride " + stride + ")");
      } else if (windows.get(Split.TRAIN) < cfg.minTrainSequences()) {
        insufficient.add(
            "C="
                + c
                + ": "
                + windows.get(Split.TRAIN)
                + " training windows < "
                + cfg.minTrainSequences());
      }
      plans.add(new Plan(c, stride, evalStride, dimension, windows, seed));
    }
    if (!tooLong.isEmpty()) {
      throw new InvalidInputException(
          "Invalid lvm.export.context-sizes: "
              + String.join(", ", tooLong)
              + " yield no window: the longest stream has "
              + longest
              + " chunks and a window needs"
              + " C + 1 of them"
              + (cfg.protocol() == Protocol.SEED ? " plus one stride" : "")
              + ". Remove these sizes or export a larger corpus. Streams: "
              + streams.lengths());
    }
    // The coherence gate can only lower these counts, so an insufficient size fails here already.
    if (!insufficient.isEmpty() && cfg.onInsufficient() == OnInsufficient.FAIL) {
      throw insufficientError(insufficient);
    }
    return plans;
  }

  private static SnapshotManifest.ContextSize export(
      SparkSession spark, ExportConfig cfg, Streams.Result streams, Plan plan, Path staged) {
    int c = plan.contextSize();
    Map<String, Long> written = new TreeMap<>();
    Map<String, Long> dropped = new TreeMap<>();
    Map<String, Long> spanning = new TreeMap<>();
    Map<String, String> paths = new TreeMap<>();
    long maxVectors = (long) (cfg.blockMb() * (1L << 20) / (4.0 * plan.dimension()));
    for (Split split : Split.values()) {
      int stride = plan.strideOf(split);
      Blocks blocks = Blocks.sized(c, stride, Math.max(maxVectors, 2L * c + 1));
      String stream = plan.seedSplit() != null ? Streams.ALL : split.id();
      long streamWindows =
          plan.seedSplit() != null ? plan.seedSplit().windows() : plan.streamWindows().get(split);
      WindowCutter.Spec spec =
          new WindowCutter.Spec(
              c,
              stride,
              streamWindows,
              blocks,
              plan.dimension(),
              cfg.minCoherence().orElse(Double.NaN),
              plan.seedSplit(),
              plan.seedSplit() != null ? split : null);
      String relative = SnapshotLayout.dataPath(c, split);
      Path dir = new Path(staged, relative);
      LOG.info(
          "Cutting C={} split={} stride={}: {} windows",
          c,
          split.id(),
          stride,
          plan.streamWindows().get(split));
      Dataset<Row> windows = WindowCutter.cut(Streams.of(streams.chunks(), stream), spec);
      windows
          .write()
          .option("compression", cfg.compression().name().toLowerCase(Locale.ROOT))
          // Every context is a distinct multi-megabyte value: a dictionary never pays off.
          .option("parquet.enable.dictionary", "false")
          .parquet(dir.toString());
      Row counts =
          spark
              .read()
              .schema(WindowSchema.FILE_SCHEMA)
              .parquet(dir.toString())
              .agg(count(lit(1)), sum(when(col(WindowSchema.SPANS_DOCUMENTS), 1).otherwise(0)))
              .first();
      long n = counts.getLong(0);
      written.put(split.id(), n);
      dropped.put(split.id(), plan.streamWindows().get(split) - n);
      spanning.put(split.id(), n == 0 ? 0 : counts.getLong(1));
      paths.put(split.id(), relative);
    }
    long train = written.get(Split.TRAIN.id());
    return new SnapshotManifest.ContextSize(
        c,
        plan.stride(),
        plan.evalStride(),
        written,
        dropped,
        spanning,
        paths,
        new SnapshotManifest.Sufficiency(
            train, cfg.minTrainSequences(), train >= cfg.minTrainSequences()));
  }

  private static void rejectInsufficient(
      ExportConfig cfg, List<SnapshotManifest.ContextSize> sizes) {
    if (cfg.onInsufficient() != OnInsufficient.FAIL) {
      return;
    }
    List<String> insufficient = new ArrayList<>();
    for (SnapshotManifest.ContextSize s : sizes) {
      if (!s.sufficiency().sufficient()) {
        insufficient.add(
            "C="
                + s.contextSize()
                + ": "
                + s.sufficiency().trainWindows()
                + " training windows < "
                + s.sufficiency().threshold()
                + " (after the coherence gate)");
      }
    }
    if (!insufficient.isEmpty()) {
      throw insufficientError(insufficient);
    }
  }

  private static InvalidInputException insufficientError(List<String> insufficient) {
    return new InvalidInputException(
        "Insufficient training data, nothing published (lvm.export.on-insufficient=fail): "
            + String.join("; ", insufficient)
            + ". Export a larger corpus, drop these context sizes, lower"
            + " lvm.export.min-train-sequences, or set lvm.export.on-insufficient=skip to publish"
            + " them marked insufficient.");
  }

  private static SnapshotManifest manifest(
      ExportConfig cfg,
      CorpusValidation.Result corpus,
      Streams.Result streams,
      List<SnapshotManifest.ContextSize> sizes) {
    Map<String, Object> config = new TreeMap<>(cfg.resolved());
    config.put("snapshot-id", cfg.snapshotId());
    Map<String, SnapshotManifest.Stream> streamInfo = new TreeMap<>();
    streams
        .lengths()
        .forEach(
            (s, n) ->
                streamInfo.put(
                    s, new SnapshotManifest.Stream(streams.documents().getOrDefault(s, 0L), n)));
    return new SnapshotManifest(
        WindowSchema.VERSION,
        cfg.snapshotId(),
        Instant.now().toString(),
        BuildInfo.version(),
        cfg.protocol().name().toLowerCase(Locale.ROOT),
        new SnapshotManifest.Corpus(
            cfg.corpus(),
            corpus.fingerprint(),
            corpus.rowsRead(),
            corpus.documents(),
            corpus.dimension()),
        config,
        new SnapshotManifest.InputQuality(
            corpus.rowsRead(),
            corpus.rowsUsed(),
            corpus.rowsDropped(),
            corpus.vectorsNormalised(),
            corpus.documentsWithGaps()),
        streamInfo,
        sizes);
  }

  @Override
  public String summary(Result result) {
    return ExportSummary.render(result);
  }
}
