package ai.lvm.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;

import ai.lvm.format.CorpusSchema;
import ai.lvm.format.Protocol;
import ai.lvm.window.ArticleSplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Lays the clean corpus out as ordered streams: each chunk gets its stream (a split for the article
 * protocol, {@code all} for the seed protocol) and its position in that stream.
 *
 * <p>Documents are ordered by {@code doc_id}; a document's offset is the prefix sum of the lengths
 * of the documents before it in its stream, computed distributedly (per-partition totals, then
 * offsets), so no list of documents is ever collected on the driver.
 */
final class Streams {
  /** The stream of the seed protocol: the whole corpus, in corpus order. */
  static final String ALL = "all";

  static final String STREAM = "stream";
  static final String POSITION = "position";
  static final String FIRST_IN_DOC = "first_in_doc";

  /**
   * Positioned chunks (persisted and materialised) and per-stream counts. Columns: stream,
   * position, first_in_doc, doc_id, chunk_index (int), vector ({@link ai.lvm.format.Float32}),
   * lane.
   */
  record Result(Dataset<Row> chunks, Map<String, Long> lengths, Map<String, Long> documents) {}

  private Streams() {}

  static Result build(
      SparkSession spark, CorpusValidation.Result corpus, Protocol protocol, ArticleSplit split) {
    UDF1<String, String> streamOf =
        protocol == Protocol.SEED ? id -> ALL : id -> split.assign(id).id();
    Dataset<Row> docs =
        corpus
            .docs()
            .withColumn(STREAM, udf(streamOf, DataTypes.StringType).apply(col(CorpusSchema.DOC_ID)))
            .select(
                col(STREAM),
                col(CorpusSchema.DOC_ID),
                col(CorpusValidation.DOC_FIRST_CHUNK),
                col(CorpusValidation.DOC_CHUNKS))
            .orderBy(STREAM, CorpusSchema.DOC_ID);

    // Distributed prefix sum: the sorted RDD's partitions are in key order.
    JavaRDD<Row> sorted = docs.javaRDD();
    List<Map<String, long[]>> totals =
        sorted
            .mapPartitions(
                it -> {
                  Map<String, long[]> t = new HashMap<>(); // stream -> {chunks, documents}
                  while (it.hasNext()) {
                    Row r = it.next();
                    long[] acc = t.computeIfAbsent(r.getString(0), k -> new long[2]);
                    acc[0] += r.getLong(3);
                    acc[1] += 1;
                  }
                  return List.of(t).iterator();
                })
            .collect();
    List<Map<String, Long>> starts = new ArrayList<>();
    Map<String, Long> lengths = new TreeMap<>();
    Map<String, Long> documents = new TreeMap<>();
    for (Map<String, long[]> t : totals) {
      starts.add(new HashMap<>(lengths));
      t.forEach(
          (s, acc) -> {
            lengths.merge(s, acc[0], Long::sum);
            documents.merge(s, acc[1], Long::sum);
          });
    }
    Broadcast<List<Map<String, Long>>> startsB =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(starts);
    StructType offsetSchema =
        new StructType()
            .add(STREAM, DataTypes.StringType, false)
            .add("o_doc_id", DataTypes.StringType, false)
            .add("o_first", DataTypes.LongType, false)
            .add("o_offset", DataTypes.LongType, false);
    JavaRDD<Row> offsets =
        sorted.mapPartitionsWithIndex(
            (index, it) -> {
              Map<String, Long> next = new HashMap<>(startsB.value().get(index));
              List<Row> out = new ArrayList<>();
              while (it.hasNext()) {
                Row r = it.next();
                long offset = next.getOrDefault(r.getString(0), 0L);
                next.put(r.getString(0), offset + r.getLong(3));
                out.add(RowFactory.create(r.getString(0), r.getString(1), r.getLong(2), offset));
              }
              return out.iterator();
            },
            true);
    Dataset<Row> docOffsets = spark.createDataFrame(offsets, offsetSchema);

    // Position within the document: chunk_index - first when indexes are consecutive; with gaps
    // (kept under on-bad-rows = drop) the rank, which costs a shuffle of the corpus by document.
    Dataset<Row> rows = corpus.rows();
    String inDoc = "chunk_index - o_first";
    if (corpus.documentsWithGaps() > 0) {
      rows =
          rows.withColumn(
              "rank",
              row_number()
                  .over(Window.partitionBy(CorpusSchema.DOC_ID).orderBy(CorpusSchema.CHUNK_INDEX))
                  .minus(1));
      inDoc = "rank";
    }
    Dataset<Row> chunks =
        rows.join(docOffsets, rows.col(CorpusSchema.DOC_ID).equalTo(docOffsets.col("o_doc_id")))
            .select(
                col(STREAM),
                expr("o_offset + " + inDoc).as(POSITION),
                expr(inDoc + " = 0").as(FIRST_IN_DOC),
                col(CorpusSchema.DOC_ID),
                col(CorpusSchema.CHUNK_INDEX)
                    .cast(DataTypes.IntegerType)
                    .as(CorpusSchema.CHUNK_INDEX),
                col(CorpusSchema.VECTOR),
                col(CorpusSchema.LANE))
            .persist(StorageLevel.MEMORY_AND_DISK());
    // Materialise now, so the caller can release the validation cache this was computed from.
    chunks.count();
    if (lengths.isEmpty()) {
      lengths.put(protocol == Protocol.SEED ? ALL : "train", 0L);
    }
    return new Result(chunks, lengths, documents);
  }

  static Dataset<Row> of(Dataset<Row> chunks, String stream) {
    return chunks.filter(col(STREAM).equalTo(lit(stream)));
  }
}
