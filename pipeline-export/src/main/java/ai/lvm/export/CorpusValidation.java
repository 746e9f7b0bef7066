package ai.lvm.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import ai.lvm.config.InvalidInputException;
import ai.lvm.export.ExportConfig.OnBadRows;
import ai.lvm.format.CorpusSchema;
import ai.lvm.window.Vectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Reads a vector corpus and checks it against the contract before any window is cut: schema,
 * dimension, finite non-zero vectors, ids, duplicates and gaps. Each problem is reported with its
 * row count and a few examples; with {@code on-bad-rows = drop} bad rows are removed and counted.
 * Vectors that are not unit length are L2-normalised.
 */
final class CorpusValidation {
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

  /** The clean corpus and what validation found. */
  record Result(
      String path,
      Dataset<Row> rows,
      Dataset<Row> docs,
      long rowsRead,
      long rowsUsed,
      int dimension,
      String fingerprint,
      Map<String, Long> rowsDropped,
      long vectorsNormalised,
      long documents,
      long documentsWithGaps) {}

  private static final int EXAMPLES = 3;

  private CorpusValidation() {}

  static Result run(SparkSession spark, String path, OnBadRows onBadRows) {
    Path qualified = qualify(spark, path);
    Dataset<Row> raw = read(spark, path, qualified);
    boolean hasLane = CorpusSchema.hasColumn(raw.schema(), CorpusSchema.LANE);
    Dataset<Row> corpus =
        raw.select(
            col(CorpusSchema.DOC_ID),
            col(CorpusSchema.CHUNK_INDEX).cast(DataTypes.LongType).as(CorpusSchema.CHUNK_INDEX),
            col(CorpusSchema.VECTOR),
            hasLane
                ? col(CorpusSchema.LANE).cast(DataTypes.IntegerType).as(CorpusSchema.LANE)
                : lit(null).cast(DataTypes.IntegerType).as(CorpusSchema.LANE));

    // Pass 1: the dimension is the most common vector length.
    List<Row> sizes =
        corpus
            .groupBy(expr("size(vector)").as("d"))
            .count()
            .orderBy(col("count").desc())
            .collectAsList();
    long rowsRead = sizes.stream().mapToLong(r -> r.getLong(1)).sum();
    if (rowsRead == 0) {
      throw new InvalidInputException(
          "Invalid corpus at '"
              + path
              + "': it has no rows. Point lvm.export.corpus at a corpus"
              + " with chunks (bin/lvm generate or bin/lvm ingest write one).");
    }
    int dimension =
        sizes.stream()
            .mapToInt(r -> r.getInt(0))
            .filter(d -> d > 0)
            .findFirst()
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "Invalid corpus at '" + path + "': no row has a non-empty vector."));

    // Pass 2: classify every row, fingerprint the input, count vectors to normalise.
    Dataset<Row> classified =
        corpus
            .withColumn("problem", problemExpr(dimension))
            .withColumn(
                "norm",
                expr(
                    "sqrt(aggregate(vector, 0D, (a, x) -> a + CAST(x AS DOUBLE) * CAST(x AS DOUBLE)))"))
            .withColumn("h", expr("xxhash64(doc_id, chunk_index, vector)"));
    Map<String, Long> problems = new LinkedHashMap<>();
    long normalised = 0;
    long hashSum = 0;
    long hashXor = 0;
    for (Row r :
        classified
            .groupBy("problem")
            .agg(
                count(lit(1)),
                sum(
                    expr(
                        "CASE WHEN problem IS NULL AND abs(norm - 1) > "
                            + Vectors.UNIT_NORM_TOLERANCE
                            + " THEN 1 ELSE 0 END")),
                sum(expr("h & 4294967295")),
                expr("bit_xor(h)"))
            .collectAsList()) {
      if (r.isNullAt(0)) {
        normalised = r.getLong(2);
      } else {
        problems.put(r.getString(0), r.getLong(1));
      }
      hashSum += r.isNullAt(3) ? 0 : r.getLong(3);
      hashXor ^= r.isNullAt(4) ? 0 : r.getLong(4);
    }
    String fingerprint = String.format("xxh64:%d:%016x:%016x", rowsRead, hashSum, hashXor);

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
                expr("CASE WHEN abs(norm - 1) > "
                        + Vectors.UNIT_NORM_TOLERANCE
                        + " THEN transform(vector, x -> CAST(x / norm AS FLOAT))"
                        + " ELSE transform(vector, x -> CAST(x AS FLOAT)) END")
                    .as(CorpusSchema.VECTOR),
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
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          "Cannot read corpus '" + path + "' as Parquet: " + firstLine(e.getMessage()), e);
    }
    CorpusSchema.check(raw.schema(), path);
    return raw;
  }

  private static org.apache.spark.sql.Column problemExpr(int dimension) {
    return expr(
        "CASE WHEN doc_id IS NULL THEN 'null_doc_id'"
            + " WHEN chunk_index IS NULL THEN 'null_chunk_index'"
            + " WHEN vector IS NULL THEN 'null_vector'"
            + " WHEN size(vector) != "
            + dimension
            + " THEN 'wrong_dimension'"
            // abs(x) < 3.4e38 is false for NaN, infinities and values a float cannot hold.
            + " WHEN exists(vector, x -> x IS NULL OR NOT (abs(x) < 3.4e38)) THEN 'non_finite'"
            + " WHEN forall(vector, x -> x = 0) THEN 'zero_vector'"
            + " END");
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
                    return id + " has " + r.getList(r.fieldIndex(CorpusSchema.VECTOR)).size();
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
