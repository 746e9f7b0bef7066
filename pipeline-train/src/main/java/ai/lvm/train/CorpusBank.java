package ai.lvm.train;

import ai.lvm.format.CorpusSchema;
import ai.lvm.metrics.BankProduct;
import ai.lvm.metrics.Ranking;
import ai.lvm.metrics.RowKeys;
import ai.lvm.reader.ContextSegment;
import ai.lvm.reader.WindowReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.PrimitiveType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The whole corpus as validation's candidate bank, the one evaluation ranks against by default
 * ({@code lvm.eval.bank = corpus}): every chunk's unit vector, and where each document's chunks
 * are, so a validation window's own context can be left out of its candidates as evaluation does.
 * Ranks follow {@link Ranking}: {@code 1 + #{eligible candidates scoring above the target}}, the
 * target itself (a corpus row) a tie that does not count.
 *
 * <p>Memory: rows x D float32 (116k MiniLM chunks: 178 MB; a corpus too large for a worker should
 * validate with {@code validation-bank = split-targets} and leave the corpus bank to evaluation).
 */
public final class CorpusBank {
  /** Bank rows scored per matrix product: bounds memory at queries x BLOCK floats. */
  private static final int BLOCK = 8192;

  private final INDArray vectors; // [N, D], unit rows in RowKeys.ORDER
  private final RowKeys keys; // where each row comes from, to leave a window's context out
  private final int blockRows;

  private CorpusBank(INDArray vectors, RowKeys keys, int blockRows) {
    this.vectors = vectors;
    this.keys = keys;
    this.blockRows = blockRows;
  }

  /** Candidates in the bank. */
  public int size() {
    return (int) vectors.size(0);
  }

  /** One corpus chunk as read. */
  record Chunk(String docId, long chunkIndex, float[] v) implements RowKeys.Key {}

  /** Reads the corpus Parquet files under {@code dir} (columns doc_id, chunk_index, vector). */
  public static CorpusBank load(Configuration conf, Path dir, int dimension) {
    List<Chunk> chunks = new ArrayList<>();
    for (Path file : WindowReader.files(conf, dir)) {
      try (ParquetReader<Group> reader =
          ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
        Group g;
        while ((g = reader.read()) != null) {
          chunks.add(new Chunk(g.getString(CorpusSchema.DOC_ID, 0), chunkIndex(g), vector(g)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the corpus at " + file, e);
      }
    }
    return of(chunks, dimension, BLOCK);
  }

  /** The bank of {@code chunks}, in any order. */
  static CorpusBank of(List<Chunk> read, int dimension, int blockRows) {
    List<Chunk> chunks = new ArrayList<>(read);
    chunks.sort(RowKeys.ORDER);
    float[] flat = new float[Math.multiplyExact(chunks.size(), dimension)];
    String[] docIds = new String[chunks.size()];
    long[] chunkIndexes = new long[chunks.size()];
    for (int i = 0; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      if (c.v().length != dimension) {
        throw new IllegalStateException(
            "corpus chunk "
                + c.docId()
                + "/"
                + c.chunkIndex()
                + " has dimension "
                + c.v().length
                + ", the snapshot "
                + dimension);
      }
      double norm = 0;
      for (float f : c.v()) {
        norm += (double) f * f;
      }
      float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
      for (int j = 0; j < dimension; j++) {
        flat[i * dimension + j] = c.v()[j] * scale;
      }
      docIds[i] = c.docId();
      chunkIndexes[i] = c.chunkIndex();
    }
    return new CorpusBank(
        Nd4j.create(flat, new long[] {chunks.size(), dimension}, 'c'),
        new RowKeys(docIds, chunkIndexes),
        blockRows);
  }

  /**
   * Ranks of each query's target among the bank minus its excluded segments, counted as
   * evaluation's {@code BlockRanker} counts: candidates above the target in each block's scores,
   * less those of the block's excluded rows ({@link RowKeys#ranges}).
   *
   * @param predictions {@code [Q, D]} unit predictions
   * @param targets {@code [Q, D]} unit targets (each a corpus row)
   * @param excluded per query, the segments left out (its context)
   */
  public int[] ranks(INDArray predictions, INDArray targets, List<List<ContextSegment>> excluded) {
    int q = (int) predictions.size(0);
    int d = (int) predictions.size(1);
    float[] p = predictions.castTo(vectors.dataType()).dup('c').data().asFloat();
    float[] y = targets.castTo(vectors.dataType()).dup('c').data().asFloat();
    double[] targetScore = new double[q];
    int[][] ranges = new int[q][];
    for (int i = 0; i < q; i++) {
      targetScore[i] = Ranking.dot(p, i * d, y, i * d, d);
      ranges[i] = excludedRows(excluded.get(i));
    }
    int[] above = new int[q];
    INDArray pArray = Nd4j.create(p, new long[] {q, d}, 'c');
    BankProduct kernel = new BankProduct();
    for (int from = 0; from < size(); from += blockRows) {
      int to = Math.min(size(), from + blockRows);
      INDArray block = vectors.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
      float[] scores = kernel.scores(pArray, block);
      int width = to - from;
      for (int i = 0; i < q; i++) {
        int offset = i * width;
        above[i] += Ranking.countAbove(scores, offset, offset + width, targetScore[i]);
        int[] r = ranges[i];
        for (int k = 1; k <= r[0]; k++) {
          int lo = Math.max(r[2 * k - 1], from);
          int hi = Math.min(r[2 * k], to);
          if (lo < hi) {
            above[i] -=
                Ranking.countAbove(scores, offset + lo - from, offset + hi - from, targetScore[i]);
          }
        }
      }
    }
    int[] ranks = new int[q];
    for (int i = 0; i < q; i++) {
      ranks[i] = Double.isNaN(targetScore[i]) ? size() : 1 + above[i];
    }
    return ranks;
  }

  /** The bank rows of {@code segments} ({@link RowKeys#ranges}). */
  private int[] excludedRows(List<ContextSegment> segments) {
    int n = segments.size();
    String[] docs = new String[n];
    long[] firsts = new long[n];
    int[] lengths = new int[n];
    for (int e = 0; e < n; e++) {
      docs[e] = segments.get(e).docId();
      firsts[e] = segments.get(e).firstChunk();
      lengths[e] = segments.get(e).length();
    }
    return keys.ranges(docs, firsts, lengths, 0, n, new int[0]);
  }

  private static long chunkIndex(Group g) {
    PrimitiveType t = g.getType().getType(CorpusSchema.CHUNK_INDEX).asPrimitiveType();
    return t.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64
        ? g.getLong(CorpusSchema.CHUNK_INDEX, 0)
        : g.getInteger(CorpusSchema.CHUNK_INDEX, 0);
  }

  /** A Spark array column: group (LIST) { repeated group list { element } }. */
  private static float[] vector(Group g) {
    Group list = g.getGroup(CorpusSchema.VECTOR, 0);
    int n = list.getFieldRepetitionCount(0);
    float[] v = new float[n];
    for (int j = 0; j < n; j++) {
      Group element = list.getGroup(0, j);
      boolean isDouble =
          element.getType().getType(0).asPrimitiveType().getPrimitiveTypeName()
              == PrimitiveType.PrimitiveTypeName.DOUBLE;
      v[j] = isDouble ? (float) element.getDouble(0, 0) : element.getFloat(0, 0);
    }
    return v;
  }
}
