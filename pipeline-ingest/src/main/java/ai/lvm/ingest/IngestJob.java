package ai.lvm.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.row_number;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.format.CorpusManifest;
import ai.lvm.format.CorpusOutput;
import ai.lvm.format.CorpusSchema;
import ai.lvm.format.Json;
import ai.lvm.format.Publisher;
import ai.lvm.ingest.IngestConfig.Format;
import ai.lvm.ingest.IngestConfig.OnBadRecords;
import ai.lvm.job.BuildInfo;
import ai.lvm.job.HadoopSettings;
import ai.lvm.job.Job;
import ai.lvm.job.JobMain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns documents into a vector corpus ({@link CorpusSchema}), published atomically with {@code
 * _manifest.json} ({@link CorpusManifest}), or imports the reference system's NPZ vectors as one.
 *
 * <p>Documents: files are listed on the driver, read and chunked by tasks ({@link DocumentReader});
 * bad records are counted per reason and either fail the job (naming the first ones by file and
 * line) or are skipped; duplicate doc_ids keep their first record in input order. Chunks are then
 * spread over partitions of {@code chunks-per-partition} and embedded in batches by one shared
 * encoder per executor JVM ({@link EmbedPartition}); the driver logs the chunks embedded, the rate
 * and an ETA every {@code progress-interval-s}.
 */
public final class IngestJob implements Job<IngestConfig, IngestJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);

  /** NPZ rows per task: ~50k x D=768 floats is ~150 MB of Parquet input per task. */
  private static final long NPZ_ROWS_PER_PARTITION = 50_000;

  /** How many bad records the failure message quotes. */
  private static final int QUOTED = 5;

  private static final StructType CHUNKS =
      new StructType()
          .add(CorpusSchema.DOC_ID, DataTypes.StringType, false)
          .add(CorpusSchema.CHUNK_INDEX, DataTypes.IntegerType, false)
          .add(CorpusSchema.TEXT, DataTypes.StringType, false)
          .add(CorpusSchema.SOURCE, DataTypes.StringType, true);

  /**
   * What an ingest did.
   *
   * @param seconds wall time of the run, for the summary's rate
   */
  public record Result(
      CorpusManifest manifest, String location, boolean alreadyPublished, double seconds) {}

  public static void main(String[] args) {
    JobMain.main(new IngestJob(), args);
  }

  @Override
  public String name() {
    return "lvm-ingest";
  }

  @Override
  public Set<String> stages() {
    return Set.of("spark", "ingest");
  }

  @Override
  public IngestConfig configure(LvmConfig config) {
    return IngestConfig.from(config);
  }

  @Override
  public Result run(SparkSession spark, IngestConfig cfg) {
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    CorpusOutput output = CorpusOutput.of(cfg.output(), hadoop);
    Publisher publisher = output.publisher();
    String id = output.id();
    Optional<CorpusManifest> existing =
        output.existing(
            cfg.resolved(),
            "ingest",
            "Choose another lvm.ingest.id or lvm.ingest.output, or delete that directory.");
    if (existing.isPresent()) {
      return new Result(existing.get(), output.location(), true, 0);
    }
    Path input = new Path(cfg.input());
    Format format = IngestInputs.resolve(cfg.format(), input, hadoop);
    Path staged = publisher.stage(id);
    try {
      CorpusManifest manifest =
          format == Format.NPZ
              ? importNpz(spark, cfg, input, staged, id)
              : ingestDocuments(spark, cfg, format, input, staged, id);
      publisher.publish(staged, id, Json.write(manifest));
      return new Result(
          manifest, publisher.path(id).toString(), false, (System.nanoTime() - start) / 1e9);
    } catch (Throwable e) { // Spark rethrows checked SparkExceptions undeclared
      publisher.discard(staged);
      throw e;
    }
  }

  private CorpusManifest ingestDocuments(
      SparkSession spark, IngestConfig cfg, Format format, Path input, Path staged, String id) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<IngestInputs.InputFile> files = IngestInputs.list(format, input, hadoop);
    LOG.info("Ingesting {} {} file(s) from {}", files.size(), format, input);
    List<Row> fileRows = new ArrayList<>();
    files.forEach(f -> fileRows.add(RowFactory.create(f.path(), f.relative())));
    int readPartitions =
        Math.max(1, Math.min(files.size(), spark.sparkContext().defaultParallelism() * 4));
    Map<String, String> conf = HadoopSettings.of(hadoop);
    DocumentReader reader =
        new DocumentReader(format, cfg.minChunkChars(), cfg.maxChunkChars(), input.getName(), conf);
    Dataset<Row> records =
        spark
            .createDataFrame(fileRows, DocumentReader.FILES)
            .repartition(readPartitions)
            .flatMap(reader, Encoders.row(DocumentReader.SCHEMA))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, Long> skipped = new TreeMap<>();
      Dataset<Row> bad = records.filter(col(DocumentReader.REASON).isNotNull());
      for (Row r : bad.groupBy(DocumentReader.REASON).count().collectAsList()) {
        skipped.put(r.getString(0), r.getLong(1));
      }
      Dataset<Row> valid = records.filter(col(DocumentReader.REASON).isNull());
      // The first record of a doc_id in input order (file, then line) is kept.
      Dataset<Row> ranked =
          valid.withColumn(
              "rank",
              row_number()
                  .over(
                      Window.partitionBy(DocumentReader.DOC_ID)
                          .orderBy(DocumentReader.FILE, DocumentReader.LINE)));
      Dataset<Row> duplicates = ranked.filter(col("rank").gt(1));
      long duplicateCount = duplicates.count();
      if (duplicateCount > 0) {
        skipped.put(BadRecord.DUPLICATE_DOC_ID.key(), duplicateCount);
      }
      if (!skipped.isEmpty() && cfg.onBadRecords() == OnBadRecords.FAIL) {
        throw badInput(bad, duplicates, ranked, skipped, input);
      }
      if (!skipped.isEmpty()) {
        LOG.warn("Skipping bad records (lvm.ingest.on-bad-records = skip): {}", skipped);
      }
      Dataset<Row> documents = ranked.filter(col("rank").equalTo(1)).drop("rank");
      Dataset<Row> chunks =
          documents
              .select(
                  col(DocumentReader.DOC_ID),
                  col(DocumentReader.SOURCE),
                  posexplode(col(DocumentReader.CHUNKS)))
              .select(
                  col(DocumentReader.DOC_ID).as(CorpusSchema.DOC_ID),
                  col("pos").cast(DataTypes.IntegerType).as(CorpusSchema.CHUNK_INDEX),
                  col("col").as(CorpusSchema.TEXT),
                  col(DocumentReader.SOURCE).as(CorpusSchema.SOURCE));
      Row totals =
          documents
              .agg(
                  count("*"),
                  org.apache.spark.sql.functions.sum(
                      org.apache.spark.sql.functions.size(col(DocumentReader.CHUNKS))))
              .first();
      long documentCount = totals.getLong(0);
      long chunkCount = totals.isNullAt(1) ? 0 : totals.getLong(1);
      if (chunkCount == 0) {
        throw new InvalidInputException(
            "Cannot ingest '"
                + input
                + "': no document has text to embed"
                + (skipped.isEmpty() ? "" : " (skipped: " + skipped + ")")
                + ".");
      }
      int partitions =
          (int) Math.max(1, (chunkCount + cfg.chunksPerPartition() - 1) / cfg.chunksPerPartition());
      LOG.info(
          "Embedding {} chunks of {} documents with {} in {} partitions",
          chunkCount,
          documentCount,
          cfg.model().modelName(),
          partitions);
      LongAccumulator embedded = spark.sparkContext().longAccumulator("ingest.chunks-embedded");
      EmbedPartition embed =
          new EmbedPartition(
              cfg.model(),
              cfg.encoderThreads(),
              cfg.batchSize(),
              cfg.progressIntervalSeconds(),
              embedded);
      try (Progress progress = new Progress(embedded, chunkCount, cfg.progressIntervalSeconds())) {
        spark
            .createDataFrame(chunks.rdd(), CHUNKS)
            .repartition(partitions)
            .mapPartitions(embed, Encoders.row(CorpusSchema.SCHEMA))
            .write()
            .parquet(staged.toString());
        progress.done();
      }
      return new CorpusManifest(
          CorpusManifest.VERSION,
          id,
          Instant.now().toString(),
          BuildInfo.version(),
          "ingest",
          cfg.model().modelName(),
          chunkCount,
          documentCount,
          cfg.model().dimension(),
          skipped,
          new TreeMap<>(cfg.resolved()));
    } finally {
      records.unpersist();
    }
  }

  /** The failure for bad records: counts per reason, then the first ones in input order. */
  private static InvalidInputException badInput(
      Dataset<Row> bad,
      Dataset<Row> duplicates,
      Dataset<Row> ranked,
      Map<String, Long> skipped,
      Path input) {
    List<String> quoted = new ArrayList<>();
    for (Row r :
        bad.orderBy(DocumentReader.FILE, DocumentReader.LINE)
            .select(DocumentReader.MESSAGE)
            .limit(QUOTED)
            .collectAsList()) {
      quoted.add(r.getString(0));
    }
    if (quoted.size() < QUOTED) {
      // Name each duplicate with the record it repeats.
      Dataset<Row> first =
          ranked
              .filter(col("rank").equalTo(1))
              .select(
                  col(DocumentReader.DOC_ID).as("first_id"),
                  col(DocumentReader.FILE).as("first_file"),
                  col(DocumentReader.LINE).as("first_line"));
      for (Row r :
          duplicates
              .join(first, col(DocumentReader.DOC_ID).equalTo(col("first_id")))
              .orderBy(DocumentReader.FILE, DocumentReader.LINE)
              .select(
                  DocumentReader.FILE,
                  DocumentReader.LINE,
                  DocumentReader.DOC_ID,
                  "first_file",
                  "first_line")
              .limit(QUOTED - quoted.size())
              .collectAsList()) {
        quoted.add(
            where(r.getString(0), r.getLong(1))
                + ": duplicate doc_id '"
                + r.getString(2)
                + "' (first at "
                + where(r.getString(3), r.getLong(4))
                + ")");
      }
    }
    long total = skipped.values().stream().mapToLong(Long::longValue).sum();
    return new InvalidInputException(
        "Invalid input '"
            + input
            + "': "
            + total
            + " bad record(s) "
            + skipped
            + ". First:\n  "
            + String.join("\n  ", quoted)
            + "\nFix them, or set lvm.ingest.on-bad-records=skip to skip them (the manifest"
            + " counts them).");
  }

  private static String where(String file, long line) {
    return line > 0 ? file + ":" + line : file;
  }

  private static CorpusManifest importNpz(
      SparkSession spark, IngestConfig cfg, Path input, Path staged, String id) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    NpzReader.VectorsArray array = NpzReader.open(input, hadoop);
    if (array.rows() == 0) {
      throw new InvalidInputException(
          "Invalid NPZ '" + input + "': array '" + NpzReader.ARRAY + "' has no rows.");
    }
    long n = array.rows();
    long perPartition = array.stored() ? NPZ_ROWS_PER_PARTITION : n;
    long partitions = (n + perPartition - 1) / perPartition;
    String prefix =
        cfg.npzDocId().isEmpty() ? input.getName().replaceFirst("(?i)\\.npz$", "") : cfg.npzDocId();
    long docSize = cfg.npzDocumentSize().isPresent() ? cfg.npzDocumentSize().getAsInt() : n;
    long documents = (n + docSize - 1) / docSize;
    boolean single = cfg.npzDocumentSize().isEmpty();
    String source = input.getName();
    Map<String, String> conf = HadoopSettings.of(hadoop);
    LOG.info(
        "Importing {} vectors of dimension {} from {} ({}) as {} document(s), {} partition(s)",
        n,
        array.dimension(),
        input,
        array.stored() ? "stored" : "compressed",
        documents,
        partitions);
    FlatMapFunction<Long, Row> rows =
        part -> {
          long from = part * perPartition;
          long to = Math.min(n, from + perPartition);
          var vectors = NpzReader.rows(array, from, to, HadoopSettings.toConfiguration(conf));
          return new java.util.Iterator<Row>() {
            long i = from;

            @Override
            public boolean hasNext() {
              return vectors.hasNext();
            }

            @Override
            public Row next() {
              float[] v = vectors.next();
              long doc = i / docSize;
              // Zero-padded numbers keep corpus order (doc_id ascending) = stored order.
              String docId = single ? prefix : String.format("%s-%09d", prefix, doc);
              Row r = RowFactory.create(docId, (int) (i - doc * docSize), v, null, source, null);
              i++;
              return r;
            }
          };
        };
    if (docSize > Integer.MAX_VALUE) {
      throw new InvalidInputException(
          "Cannot import '"
              + input
              + "' as one document: "
              + n
              + " vectors exceed the int chunk_index. Set lvm.ingest.npz-document-size.");
    }
    spark
        .range(0, partitions, 1, (int) partitions)
        .as(Encoders.LONG())
        .flatMap(rows, Encoders.row(CorpusSchema.SCHEMA))
        .write()
        .parquet(staged.toString());
    return new CorpusManifest(
        CorpusManifest.VERSION,
        id,
        Instant.now().toString(),
        BuildInfo.version(),
        "ingest-npz",
        "unknown (imported from NPZ)",
        n,
        documents,
        array.dimension(),
        Map.of(),
        new TreeMap<>(cfg.resolved()));
  }

  @Override
  public String summary(Result r) {
    CorpusManifest m = r.manifest();
    String skipped = m.skipped().isEmpty() ? "" : ", skipped " + m.skipped();
    if (r.alreadyPublished()) {
      return "Corpus already published at "
          + r.location()
          + String.format(
              ": %,d chunks, %,d documents, D=%d", m.rows(), m.documents(), m.dimension());
    }
    return "Published corpus at "
        + r.location()
        + String.format(
            ": %,d chunks, %,d documents, D=%d, model %s, %.1f s (%.0f chunks/s)%s",
            m.rows(),
            m.documents(),
            m.dimension(),
            m.model(),
            r.seconds(),
            m.rows() / Math.max(r.seconds(), 1e-9),
            skipped);
  }

  /** The driver's progress line: chunks embedded (by finished batches of tasks), rate, ETA. */
  private static final class Progress implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final LongAccumulator embedded;
    private final long total;
    private final long start = System.nanoTime();

    Progress(LongAccumulator embedded, long total, int intervalSeconds) {
      this.embedded = embedded;
      this.total = total;
      this.timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "ingest-progress");
                t.setDaemon(true);
                return t;
              });
      timer.scheduleAtFixedRate(this::log, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }

    private void log() {
      // The accumulator grows as tasks finish, so early lines may lag the tasks' own lines.
      long done = embedded.value();
      double seconds = (System.nanoTime() - start) / 1e9;
      double rate = done / seconds;
      LOG.info(
          "Embedded {}/{} chunks ({}%), {} chunks/s, ETA {}",
          done,
          total,
          String.format("%.1f", 100.0 * done / total),
          String.format("%.0f", rate),
          done == 0 ? "unknown" : String.format("%.0f s", (total - done) / rate));
    }

    void done() {
      log();
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
