package ai.lvm.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.udf;

import ai.lvm.format.CorpusSchema;
import ai.lvm.format.Float32;
import ai.lvm.format.Split;
import ai.lvm.format.WindowSchema;
import ai.lvm.window.SeedSplit;
import ai.lvm.window.Vectors;
import ai.lvm.window.WindowMath;
import ai.lvm.window.WindowMath.Blocks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * Cuts the windows of one stream and one context size, distributedly.
 *
 * <p>Windows are grouped in blocks of consecutive windows ({@link Blocks}); each chunk is sent to
 * every block whose span holds it (one, or two near a block edge), blocks are shuffled to tasks and
 * sorted by position, and each task assembles its blocks' windows in one pass. A task holds one
 * block of chunks in memory, whatever the corpus size.
 */
final class WindowCutter {
  private static final String BLOCK = "block";

  /**
   * What to cut.
   *
   * @param windows windows in the stream ({@link WindowMath#windowCount})
   * @param minCoherence windows with a lower coherence are dropped; NaN = no gate
   * @param seedSplit for the seed protocol: the window split; null for the article protocol
   * @param keep for the seed protocol: the split whose windows are emitted
   */
  record Spec(
      int contextSize,
      int stride,
      long windows,
      Blocks blocks,
      int dimension,
      double minCoherence,
      SeedSplit seedSplit,
      Split keep)
      implements Serializable {

    boolean emits(long window) {
      return seedSplit == null || seedSplit.assign(window) == keep;
    }

    /** Whether any window this spec emits holds position {@code p} (as context or target). */
    boolean needs(long p) {
      long first = Math.max(0, Math.floorDiv(p - contextSize + stride - 1, stride));
      long last = Math.min(windows - 1, Math.floorDiv(p, stride));
      for (long w = first; w <= last; w++) {
        if (emits(w)) {
          return true;
        }
      }
      return false;
    }
  }

  private WindowCutter() {}

  /** The windows of {@code spec} from the positioned chunks of one stream, as FILE_SCHEMA rows. */
  static Dataset<Row> cut(Dataset<Row> streamChunks, Spec spec) {
    if (spec.windows() == 0) {
      return streamChunks.sparkSession().createDataFrame(List.of(), WindowSchema.FILE_SCHEMA);
    }
    long lastBlock = spec.blocks().blockOf(spec.windows() - 1);
    UDF1<Long, long[]> blocksOf =
        p -> {
          if (!spec.needs(p)) {
            return new long[0];
          }
          long first = spec.blocks().firstBlockContaining(p);
          long last = Math.min(lastBlock, spec.blocks().lastBlockContaining(p));
          long[] out = new long[(int) Math.max(0, last - first + 1)];
          for (int i = 0; i < out.length; i++) {
            out[i] = first + i;
          }
          return out;
        };
    int tasks = (int) Math.min(Integer.MAX_VALUE, lastBlock + 1);
    return streamChunks
        .withColumn(
            BLOCK,
            explode(
                udf(blocksOf, DataTypes.createArrayType(DataTypes.LongType, false))
                    .apply(col(Streams.POSITION))))
        .repartition(tasks, col(BLOCK))
        .sortWithinPartitions(BLOCK, Streams.POSITION)
        .mapPartitions(
            (MapPartitionsFunction<Row, Row>) rows -> new BlockWindows(rows, spec),
            Encoders.row(WindowSchema.FILE_SCHEMA));
  }

  /** Streams the windows of the blocks of one task, sorted by (block, position). */
  static final class BlockWindows implements Iterator<Row> {
    private final Iterator<Row> input;
    private final Spec spec;
    private final int d;
    private final int span;
    private final float[] vectors;
    private final String[] docIds;
    private final int[] chunkIndexes;
    private final boolean[] firstInDoc;
    private final Integer[] lanes;
    private final boolean[] present;
    private Row lookahead;
    private long block = -1;
    private long nextWindow;
    private long endWindow;
    private Row pending;

    BlockWindows(Iterator<Row> input, Spec spec) {
      this.input = input;
      this.spec = spec;
      this.d = spec.dimension();
      this.span = Math.toIntExact(spec.blocks().span());
      this.vectors = new float[Math.multiplyExact(span, d)];
      this.docIds = new String[span];
      this.chunkIndexes = new int[span];
      this.firstInDoc = new boolean[span];
      this.lanes = new Integer[span];
      this.present = new boolean[span];
      this.lookahead = input.hasNext() ? input.next() : null;
    }

    @Override
    public boolean hasNext() {
      while (pending == null) {
        if (nextWindow < endWindow) {
          pending = window(nextWindow++);
        } else if (!loadNextBlock()) {
          return false;
        }
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = pending;
      pending = null;
      return r;
    }

    private boolean loadNextBlock() {
      if (lookahead == null) {
        return false;
      }
      block = lookahead.getLong(lookahead.fieldIndex(BLOCK));
      java.util.Arrays.fill(present, false);
      long first = spec.blocks().firstPosition(block);
      int iPos = lookahead.fieldIndex(Streams.POSITION);
      int iFirst = lookahead.fieldIndex(Streams.FIRST_IN_DOC);
      int iDoc = lookahead.fieldIndex(CorpusSchema.DOC_ID);
      int iChunk = lookahead.fieldIndex(CorpusSchema.CHUNK_INDEX);
      int iVec = lookahead.fieldIndex(CorpusSchema.VECTOR);
      int iLane = lookahead.fieldIndex(CorpusSchema.LANE);
      int iBlock = lookahead.fieldIndex(BLOCK);
      while (lookahead != null && lookahead.getLong(iBlock) == block) {
        Row r = lookahead;
        int local = Math.toIntExact(r.getLong(iPos) - first);
        Float32.decode((byte[]) r.get(iVec), vectors, local * d);
        docIds[local] = r.getString(iDoc);
        chunkIndexes[local] = r.getInt(iChunk);
        firstInDoc[local] = r.getBoolean(iFirst);
        lanes[local] = r.isNullAt(iLane) ? null : r.getInt(iLane);
        present[local] = true;
        lookahead = input.hasNext() ? input.next() : null;
      }
      nextWindow = spec.blocks().firstWindow(block);
      endWindow = Math.min(spec.windows(), nextWindow + spec.blocks().windowsPerBlock());
      return true;
    }

    /** The row of window {@code w}, or null when it is not emitted. */
    private Row window(long w) {
      if (!spec.emits(w)) {
        return null;
      }
      int c = spec.contextSize();
      int start = Math.toIntExact(w * spec.stride() - spec.blocks().firstPosition(block));
      int target = start + c;
      for (int i = start; i <= target; i++) {
        if (!present[i]) {
          throw new IllegalStateException(
              "window "
                  + w
                  + " misses stream position "
                  + (i + spec.blocks().firstPosition(block)));
        }
      }
      double coherence = Vectors.cosine(vectors, (target - 1) * d, vectors, target * d, d);
      if (coherence < spec.minCoherence()) {
        return null;
      }
      List<Row> segments = new ArrayList<>();
      int segStart = start;
      for (int i = start + 1; i <= target; i++) {
        if (i == target || firstInDoc[i] || !docIds[i].equals(docIds[segStart])) {
          segments.add(RowFactory.create(docIds[segStart], chunkIndexes[segStart], i - segStart));
          segStart = i;
        }
      }
      boolean spans =
          segments.size() > 1 || firstInDoc[target] || !docIds[target].equals(docIds[target - 1]);
      float[] targetVector = java.util.Arrays.copyOfRange(vectors, target * d, target * d + d);
      return RowFactory.create(
          w,
          w * spec.stride(),
          docIds[target],
          chunkIndexes[target],
          targetVector,
          Float32.encode(vectors, start * d, c * d),
          segments.toArray(new Row[0]),
          spans,
          firstInDoc[target],
          (float) coherence,
          lanes[target]);
    }
  }
}
