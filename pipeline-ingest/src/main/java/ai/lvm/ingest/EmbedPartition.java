package ai.lvm.ingest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds one partition of chunk rows ({@code doc_id, chunk_index, text, source}) into corpus rows,
 * in batches, with the JVM's shared encoder. Logs this task's progress every interval and adds the
 * chunks of each batch to an accumulator the driver reports from.
 */
final class EmbedPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(EmbedPartition.class);

  private final EncoderModel model;
  private final int encoderThreads;
  private final int batchSize;
  private final long progressIntervalNanos;
  private final LongAccumulator embedded;

  EmbedPartition(
      EncoderModel model,
      int encoderThreads,
      int batchSize,
      int progressIntervalSeconds,
      LongAccumulator embedded) {
    this.model = model;
    this.encoderThreads = encoderThreads;
    this.batchSize = batchSize;
    this.progressIntervalNanos = progressIntervalSeconds * 1_000_000_000L;
    this.embedded = embedded;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    // A partition is a bounded number of chunks (lvm.ingest.chunks-per-partition): holding its
    // texts lets the log say how far this task is.
    List<Row> chunks = new ArrayList<>();
    input.forEachRemaining(chunks::add);
    if (chunks.isEmpty()) {
      return List.<Row>of().iterator();
    }
    SentenceEncoder encoder = Encoders.get(model, encoderThreads);
    List<Row> out = new ArrayList<>(chunks.size());
    long start = System.nanoTime();
    long lastLog = start;
    for (int from = 0; from < chunks.size(); from += batchSize) {
      List<Row> batch = chunks.subList(from, Math.min(chunks.size(), from + batchSize));
      float[][] vectors = encoder.encode(batch.stream().map(r -> r.getString(2)).toList());
      for (int i = 0; i < vectors.length; i++) {
        Row r = batch.get(i);
        out.add(
            RowFactory.create(
                r.getString(0), r.getInt(1), vectors[i], r.getString(2), r.get(3), null));
      }
      embedded.add(batch.size());
      long now = System.nanoTime();
      if (now - lastLog >= progressIntervalNanos) {
        lastLog = now;
        double rate = out.size() / ((now - start) / 1e9);
        LOG.info(
            "Task embedding {}/{} chunks, {} chunks/s, ~{} s left in this task",
            out.size(),
            chunks.size(),
            String.format("%.0f", rate),
            String.format("%.0f", (chunks.size() - out.size()) / rate));
      }
    }
    return out.iterator();
  }
}
