package ai.lvm.train;

import ai.lvm.format.CorpusSchema;
import ai.lvm.metrics.BankProduct;
import ai.lvm.metrics.Ranking;
import ai.lvm.reader.ContextSegment;
import ai.lvm.reader.WindowReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  private final INDArray vectors; // [N, D], unit rows, corpus order
  private final Map<String, int[]> documents; // doc_id -> {first row, first chunk_index, chunks}
  private final int blockRows;

  private CorpusBank(INDArray vectors, Map<String, int[]> documents, int blockRows) {
    this.vectors = vectors;
    this.documents = documents;
    this.blockRows = blockRows;
  }

  /** Candidates in the bank. */
  public int size() {
    return (int) vectors.size(0);
  }

  /** One corpus chunk as read. */
  record Chunk(String doc, long index, float[] v) {}

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

  /** The bank of {@code chunks}, in any order (a document's chunk indexes without gaps). */
  static CorpusBank of(List<Chunk> read, int dimension, int blockRows) {
    List<Chunk> chunks = new ArrayList<>(read);
    // corpus order: doc_id (UTF-8 byte order, as Spark), then chunk_index
    chunks.sort(
        (a, b) -> {
          int c = compareUtf8(a.doc(), b.doc());
          return c != 0 ? c : Long.compare(a.index(), b.index());
        });
    float[] flat = new float[Math.multiplyExact(chunks.size(), dimension)];
    Map<String, int[]> documents = new HashMap<>();
    for (int i = 0; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      if (c.v().length != dimension) {
        throw new IllegalStateException(
            "corpus chunk "
                + c.doc()
                + "/"
                + c.index()
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
      int row = i;
      documents.computeIfAbsent(c.doc(), k -> new int[] {row, (int) c.index(), 0})[2]++;
    }
    return new CorpusBank(
        Nd4j.create(flat, new long[] {chunks.size(), dimension}, 'c'), documents, blockRows);
  }

  /**
   * Ranks of each query's target among the bank minus its excluded segments.
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
    for (int i = 0; i < q; i++) {
      targetScore[i] = Ranking.dot(p, i * d, y, i * d, d);
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
        above[i] += Ranking.countAbove(scores, i * width, (i + 1) * width, targetScore[i]);
      }
    }
    float[] bank = vectors.data().asFloat();
    int[] ranks = new int[q];
    for (int i = 0; i < q; i++) {
      if (Double.isNaN(targetScore[i])) {
        ranks[i] = size();
        continue;
      }
      double bar = Ranking.bar(targetScore[i]);
      for (ContextSegment s : excluded.get(i)) {
        int[] doc = documents.get(s.docId());
        if (doc == null) {
          continue;
        }
        int lo = Math.max(doc[0], doc[0] + s.firstChunk() - doc[1]);
        int hi = Math.min(doc[0] + doc[2], doc[0] + s.firstChunk() - doc[1] + s.length());
        for (int r = lo; r < hi; r++) {
          if (Ranking.dot(p, i * d, bank, r * d, d) > bar) {
            above[i]--;
          }
        }
      }
      ranks[i] = 1 + above[i];
    }
    return ranks;
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

  private static int compareUtf8(String a, String b) {
    return java.util.Arrays.compareUnsigned(
        a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
