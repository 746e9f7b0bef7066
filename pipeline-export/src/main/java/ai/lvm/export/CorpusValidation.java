package ai.lvm.export;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;

import ai.lvm.config.InvalidInputException;
import ai.lvm.export.ExportConfig.OnBadRows;
import ai.lvm.format.CorpusSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a vector corpus and checks it against the contract before any window is cut: schema,
 * dimension, finite non-zero vectors, ids, duplicates and gaps. Each problem is reported with its
 * row count and a few examples; with {@code on-bad-rows = drop} bad rows are removed and counted.
 * Vectors that are not unit length are L2-normalised.
 */
final class CorpusValidation {
  private static final Logger LOG = LoggerFactory.getLogger(CorpusValidation.class);
  static final String DOC_FIRST_CHUNK = "first_chunk";
  static final String DOC_CHUNKS = "chunks";
  static final String DOC_HAS_GAP = "has_gap";

  /** Row-level problems, in the order they are checked; the key is what the manifest records. */
  enum Problem {
    NULL_DOC_ID("doc_id is null"),
    NULL_CHUNK_INDEX("chunk_index is null"),
    NULL_VECTOR("vector is null"),
    WRONG_DIMENSION("vector has another dimension than the corpus"),
    NON_FINITE("vector contains NaN or infinite values"),
    ZERO_VECTOR("vector is all zeros"),
    DUPLICATE("(doc_id, chunk_index) appears more than once");

    final String text;

    Problem(String text) {
      this.text = text;
    }

    String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The clean corpus and what validation found.
   *
   * @param rows good rows: {@code doc_id}, {@code chunk_index} (long), {@code vector} as unit-norm
   *     {@link ai.lvm.format.Float32} bytes, {@code lane}
   * @param checked every input row after the vector checks, cached; release with {@link #release}
   * @param docs one row per document: {@code doc_id}, first chunk index, chunks, whether it has
   *     gaps
   */
  record Result(
      String path,
      Dataset<Row> checked,
      Dataset<Row> rows,
      Dataset<Row> docs,
      long rowsRead,
      long rowsUsed,
      int dimension,
      String fingerprint,
      Map<String, Long> rowsDropped,
      long vectorsNormalised,
      long documents,
      long documentsWithGaps) {

    /** Drops the cached rows and documents. */
    void release() {
      checked.unpersist();
      docs.unpersist();
    }
  }

  private static final int EXAMPLES = 3;

  private CorpusValidation() {}

  static Result run(SparkSession spark, String path, OnBadRows onBadRows) {
    Path qualified = qualify(spark, path);
    Dataset<Row> raw = read(spark, path, qualified);
    boolean hasLane = CorpusSchema.hasColumn(raw.schema(), CorpusSchema.LANE);
    // One pass over the vectors (cached for the steps after it): classify every row (all checks
    // but the dimension, which is not known yet), fingerprint the input, normalise good vectors.
    // Null elements inside a vector cannot enter the fast primitive path; they are rare, so the
    // fast path is tried first and the corpus re-read with nulls mapped to NaN only if one shows.
    Dataset<Row> checked = check(raw, hasLane, false);
    List<Row> groups;
    try {
      groups = summarise(checked);
    } catch (RuntimeException e) {
      checked.unpersist();
      if (!causedByNullElement(e)) {
        throw e;
      }
      LOG.warn("The corpus has null elements inside vectors; re-reading it with a slower check");
      checked = check(raw, hasLane, true);
      groups = summarise(checked);
    }
    long rowsRead = groups.stream().mapToLong(r -> r.getLong(2)).sum();
    if (rowsRead == 0) {
      throw new InvalidInputException(
          "Invalid corpus at '"
              + path
              + "': it has no rows. Point lvm.export.corpus at a corpus"
              + " with chunks (bin/lvm generate or bin/lvm ingest write one).");
    }
    int dimension =
        groups.stream()
            .filter(r -> r.isNullAt(0) && !r.isNullAt(1) && r.getInt(1) > 0)
            .max(Comparator.comparingLong((Row r) -> r.getLong(2)))
            .map(r -> r.getInt(1))
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "Invalid corpus at '"
                            + path
                            + "': no row has a usable vector (every row is null, empty,"
                            + " non-finite or zero)."));
    Map<String, Long> problems = new LinkedHashMap<>();
    long normalised = 0;
    long hashSum = 0;
    long hashXor = 0;
    for (Row r : groups) {
      String problem =
          !r.isNullAt(0)
              ? r.getString(0)
              : r.getInt(1) != dimension ? Problem.WRONG_DIMENSION.key() : null;
      if (problem == null) {
        normalised = r.getLong(3);
      } else {
        problems.merge(problem, r.getLong(2), Long::sum);
      }
      hashSum += r.isNullAt(4) ? 0 : r.getLong(4);
      hashXor ^= r.isNullAt(5) ? 0 : r.getLong(5);
    }
    String fingerprint = String.format("xxh64:%d:%016x:%016x", rowsRead, hashSum, hashXor);
    Dataset<Row> classified =
        checked.withColumn(
            "problem",
            expr(
                "CASE WHEN problem IS NOT NULL THEN problem WHEN d != "
                    + dimension
                    + " THEN 'wrong_dimension' END"));

    List<String> report = new ArrayList<>();
    Map<String, Long> dropped = new LinkedHashMap<>();
    for (Problem p : Problem.values()) {
      Long n = problems.get(p.key());
      if (n != null) {
        dropped.put(p.key(), n);
        report.add(describe(p, n, classified.filter(col("problem").equalTo(p.key())), dimension));
      }
    }

    Dataset<Row> good =
        classified
            .filter(col("problem").isNull())
            .select(
                col(CorpusSchema.DOC_ID),
                col(CorpusSchema.CHUNK_INDEX),
                col(CorpusSchema.VECTOR),
                col(CorpusSchema.LANE));

    // Pass 3 (ids only): duplicate keys.
    Dataset<Row> duplicateKeys =
        good.groupBy(CorpusSchema.DOC_ID, CorpusSchema.CHUNK_INDEX)
            .count()
            .filter(col("count").gt(1));
    List<Row> dupSummary = duplicateKeys.agg(count(lit(1)), sum("count")).collectAsList();
    long duplicateRows = dupSummary.get(0).isNullAt(1) ? 0 : dupSummary.get(0).getLong(1);
    if (duplicateRows > 0) {
      dropped.put(Problem.DUPLICATE.key(), duplicateRows);
      String examples =
          duplicateKeys.limit(EXAMPLES).collectAsList().stream()
              .map(r -> "(" + r.getString(0) + ", " + r.getLong(1) + ") x" + r.getLong(2))
              .collect(Collectors.joining(", "));
      report.add(duplicateRows + " rows: " + Problem.DUPLICATE.text + ", e.g. " + examples);
      // Which copy is right is unknowable: every copy goes.
      good =
          good.join(
              duplicateKeys.select(CorpusSchema.DOC_ID, CorpusSchema.CHUNK_INDEX),
              scala.jdk.javaapi.CollectionConverters.asScala(
                      List.of(CorpusSchema.DOC_ID, CorpusSchema.CHUNK_INDEX))
                  .toSeq(),
              "left_anti");
    }

    // Pass 4 (ids only): documents and gaps in chunk order.
    Dataset<Row> docs =
        good.groupBy(CorpusSchema.DOC_ID)
            .agg(
                min(CorpusSchema.CHUNK_INDEX).as(DOC_FIRST_CHUNK),
                count(lit(1)).as(DOC_CHUNKS),
                max(CorpusSchema.CHUNK_INDEX).as("last_chunk"))
            .withColumn(DOC_HAS_GAP, expr("last_chunk - first_chunk + 1 != chunks"))
            .drop("last_chunk")
            .persist();
    Row docSummary =
        docs.agg(count(lit(1)), sum(expr("CASE WHEN has_gap THEN 1 ELSE 0 END")), sum(DOC_CHUNKS))
            .first();
    long documents = docSummary.getLong(0);
    long gapDocs = documents == 0 ? 0 : docSummary.getLong(1);
    long rowsUsed = documents == 0 ? 0 : docSummary.getLong(2);
    if (gapDocs > 0 && onBadRows == OnBadRows.FAIL) {
      String examples =
          docs.filter(col(DOC_HAS_GAP)).limit(EXAMPLES).collectAsList().stream()
              .map(
                  r ->
                      r.getString(0)
                          + " ("
                          + r.getLong(2)
                          + " chunks from index "
                          + r.getLong(1)
                          + ")")
              .collect(Collectors.joining(", "));
      report.add(
          gapDocs
              + " documents: chunk indexes are not consecutive (gaps in chunk order), e.g. "
              + examples);
    }

    if (!report.isEmpty() && onBadRows == OnBadRows.FAIL) {
      docs.unpersist();
      checked.unpersist();
      throw new InvalidInputException(
          "Invalid corpus at '"
              + path
              + "' ("
              + rowsRead
              + " rows, dimension "
              + dimension
              + "):\n  - "
              + String.join("\n  - ", report)
              + "\nFix the corpus, or set lvm.export.on-bad-rows=drop to drop these rows"
              + " (and keep documents with gaps in reading order); the manifest counts them.");
    }
    if (rowsUsed == 0) {
      throw new InvalidInputException(
          "Invalid corpus at '"
              + path
              + "': none of its "
              + rowsRead
              + " rows is usable:\n  - "
              + String.join("\n  - ", report));
    }
    return new Result(
        qualified.toString(),
        checked,
        good,
        docs,
        rowsRead,
        rowsUsed,
        dimension,
        fingerprint,
        dropped,
        normalised,
        documents,
        gapDocs);
  }

  /**
   * Every input row after {@link VectorChecks#CHECK}, persisted: doc_id, chunk_index, vector (unit
   * Float32 bytes for good rows), lane, hash, problem, d (vector length), off_unit. A double corpus
   * is cast to float; values a float cannot hold become infinite and are reported as non-finite.
   */
  private static Dataset<Row> check(Dataset<Row> raw, boolean hasLane, boolean nullsToNaN) {
    Column vector = col(CorpusSchema.VECTOR).cast(DataTypes.createArrayType(DataTypes.FloatType));
    if (nullsToNaN) {
      vector = transform(vector, x -> coalesce(x, lit(Float.NaN)));
    }
    return raw.select(
            col(CorpusSchema.DOC_ID).as("docId"),
            col(CorpusSchema.CHUNK_INDEX).cast(DataTypes.LongType).as("chunkIndex"),
            vector.as(CorpusSchema.VECTOR),
            (hasLane ? col(CorpusSchema.LANE) : lit(null))
                .cast(DataTypes.IntegerType)
                .as(CorpusSchema.LANE),
            expr("xxhash64(doc_id, chunk_index, vector)").as("hash"))
        .as(Encoders.bean(VectorChecks.Raw.class))
        .map(VectorChecks.CHECK, Encoders.bean(VectorChecks.Checked.class))
        .select(
            col("docId").as(CorpusSchema.DOC_ID),
            col("chunkIndex").as(CorpusSchema.CHUNK_INDEX),
            col("unit").as(CorpusSchema.VECTOR),
            col(CorpusSchema.LANE),
            col("hash"),
            col("problem"),
            col("length").as("d"),
            col("offUnit").as("off_unit"))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** Rows per (problem, vector length): count, off-unit count, fingerprint sum and xor. */
  private static List<Row> summarise(Dataset<Row> checked) {
    return checked
        .groupBy("problem", "d")
        .agg(
            count(lit(1)),
            sum(expr("CASE WHEN off_unit THEN 1 ELSE 0 END")),
            sum(expr("hash & 4294967295")),
            expr("bit_xor(hash)"))
        .collectAsList();
  }

  private static boolean causedByNullElement(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("NOT_NULL_ASSERT_VIOLATION")) {
        return true;
      }
    }
    return false;
  }

  private static Path qualify(SparkSession spark, String path) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new InvalidInputException(
            "Cannot read corpus '"
                + path
                + "': the path does not exist. Set lvm.export.corpus to a"
                + " Parquet corpus (bin/lvm generate writes one to data/corpus/generated).");
      }
      return fs.makeQualified(p);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach the file system of " + path, e);
    }
  }

  private static Dataset<Row> read(SparkSession spark, String path, Path qualified) {
    Dataset<Row> raw;
    try {
      raw = spark.read().parquet(qualified.toString());
      raw.schema();
    } catch (Exception e) {
      // A file that is not Parquet: Spark throws its checked SparkException undeclared while it
      // infers the schema from the footers.
      throw new InvalidInputException(
          "Cannot read corpus '" + path + "' as Parquet: " + firstLine(e.getMessage()), e);
    }
    CorpusSchema.check(raw.schema(), path);
    return raw;
  }

  private static String describe(Problem p, long n, Dataset<Row> rows, int dimension) {
    String examples =
        rows.limit(EXAMPLES).collectAsList().stream()
            .map(
                r -> {
                  String id =
                      "("
                          + r.getAs(CorpusSchema.DOC_ID)
                          + ", "
                          + r.getAs(CorpusSchema.CHUNK_INDEX)
                          + ")";
                  if (p == Problem.WRONG_DIMENSION) {
                    return id + " has " + r.getAs("d");
                  }
                  return id;
                })
            .collect(Collectors.joining(", "));
    String what = p == Problem.WRONG_DIMENSION ? p.text + " (" + dimension + ")" : p.text;
    return n + " rows: " + what + ", e.g. " + examples;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
