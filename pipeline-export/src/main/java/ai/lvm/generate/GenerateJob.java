package ai.lvm.generate;

import ai.lvm.config.LvmConfig;
import ai.lvm.format.CorpusManifest;
import ai.lvm.format.CorpusOutput;
import ai.lvm.format.CorpusSchema;
import ai.lvm.format.Json;
import ai.lvm.format.Publisher;
import ai.lvm.job.BuildInfo;
import ai.lvm.job.Job;
import ai.lvm.job.JobMain;
import ai.lvm.window.SyntheticWalk;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a synthetic vector corpus ({@link SyntheticWalk}) of any size and dimension, published
 * atomically with {@code _manifest.json}: for smoke tests of a cluster, tests and benchmarks.
 * Documents are {@code doc-000000000}, {@code doc-000000001}, ... so corpus order is generation
 * order.
 */
public final class GenerateJob implements Job<GenerateConfig, GenerateJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateJob.class);
  private static final long CHUNKS_PER_PARTITION = 50_000;

  public record Result(CorpusManifest manifest, String location, boolean alreadyPublished) {}

  public static void main(String[] args) {
    JobMain.main(new GenerateJob(), args);
  }

  @Override
  public String name() {
    return "lvm-generate";
  }

  @Override
  public Set<String> stages() {
    return Set.of("spark", "generate");
  }

  @Override
  public GenerateConfig configure(LvmConfig config) {
    return GenerateConfig.from(config);
  }

  @Override
  public Result run(SparkSession spark, GenerateConfig cfg) {
    CorpusOutput output = CorpusOutput.of(cfg.output(), spark.sparkContext().hadoopConfiguration());
    Publisher publisher = output.publisher();
    String id = output.id();
    Optional<CorpusManifest> existing =
        output.existing(
            cfg.resolved(),
            "generate",
            "Choose another lvm.generate.output or delete that directory.");
    if (existing.isPresent()) {
      return new Result(existing.get(), output.location(), true);
    }

    SyntheticWalk walk = new SyntheticWalk(cfg.dimension(), cfg.lanes(), cfg.noise(), cfg.seed());
    // Document lengths are a pure function of the seed: the driver finds how many documents make
    // the requested chunk count (the last one is cut short) without generating any vector.
    long docs = 0;
    long total = 0;
    int lastLength = 0;
    while (total < cfg.chunks()) {
      lastLength =
          (int)
              Math.min(
                  walk.length(docs, cfg.minDocChunks(), cfg.maxDocChunks()), cfg.chunks() - total);
      total += lastLength;
      docs++;
    }
    long documents = docs;
    int finalLength = lastLength;
    int min = cfg.minDocChunks();
    int max = cfg.maxDocChunks();
    int partitions =
        cfg.partitions()
            .orElse((int) Math.max(1, Math.min(documents, cfg.chunks() / CHUNKS_PER_PARTITION)));
    FlatMapFunction<Long, Row> rows =
        doc -> {
          int length = doc == documents - 1 ? finalLength : walk.length(doc, min, max);
          float[][] vectors = walk.document(doc, length);
          int lane = walk.lane(doc);
          String docId = String.format("doc-%09d", doc);
          List<Row> out = new ArrayList<>(length);
          for (int t = 0; t < length; t++) {
            out.add(RowFactory.create(docId, t, vectors[t], null, "synthetic", lane));
          }
          return out.iterator();
        };
    Path staged = publisher.stage(id);
    try {
      LOG.info(
          "Generating {} chunks in {} documents, D={}, into {}",
          cfg.chunks(),
          documents,
          cfg.dimension(),
          output.location());
      spark
          .range(0, documents, 1, partitions)
          .as(Encoders.LONG())
          .flatMap(rows, Encoders.row(CorpusSchema.SCHEMA))
          .write()
          .parquet(staged.toString());
      CorpusManifest manifest =
          new CorpusManifest(
              CorpusManifest.VERSION,
              id,
              Instant.now().toString(),
              BuildInfo.version(),
              "generate",
              "synthetic",
              cfg.chunks(),
              documents,
              cfg.dimension(),
              Map.of(),
              new TreeMap<>(cfg.resolved()));
      publisher.publish(staged, id, Json.write(manifest));
      return new Result(manifest, publisher.path(id).toString(), false);
    } catch (Throwable e) { // Spark rethrows checked SparkExceptions undeclared
      publisher.discard(staged);
      throw e;
    }
  }

  @Override
  public String summary(Result r) {
    CorpusManifest m = r.manifest();
    return (r.alreadyPublished() ? "Corpus already published at " : "Published corpus at ")
        + r.location()
        + String.format(
            ": %,d chunks, %,d documents, D=%d, seed %s",
            m.rows(), m.documents(), m.dimension(), m.config().get("seed"));
  }
}
