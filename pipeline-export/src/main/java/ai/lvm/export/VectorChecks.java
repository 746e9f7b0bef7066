package ai.lvm.export;

import ai.lvm.format.Float32;
import ai.lvm.window.Vectors;
import java.io.Serializable;
import org.apache.spark.api.java.function.MapFunction;

/**
 * The per-vector work of the export, one loop per vector over a primitive {@code float[]}.
 *
 * <p>Why Java beans and a map: Spark's higher-order SQL functions ({@code exists}, {@code
 * aggregate}, {@code transform}) interpret every element, and a Java UDF receives the array as a
 * sequence of boxed floats; on 768-d vectors either made validation the slowest step of the export
 * (boxing was 30% of all CPU samples). A bean's {@code float[]} field is filled with one bulk copy.
 */
public final class VectorChecks {
  private VectorChecks() {}

  /** A corpus row as read: the input of {@link #CHECK}. */
  public static class Raw implements Serializable {
    private static final long serialVersionUID = 1L;
    private String docId;
    private Long chunkIndex;
    private float[] vector;
    private Integer lane;
    private long hash;

    public String getDocId() {
      return docId;
    }

    public void setDocId(String docId) {
      this.docId = docId;
    }

    public Long getChunkIndex() {
      return chunkIndex;
    }

    public void setChunkIndex(Long chunkIndex) {
      this.chunkIndex = chunkIndex;
    }

    public float[] getVector() {
      return vector;
    }

    public void setVector(float[] vector) {
      this.vector = vector;
    }

    public Integer getLane() {
      return lane;
    }

    public void setLane(Integer lane) {
      this.lane = lane;
    }

    public long getHash() {
      return hash;
    }

    public void setHash(long hash) {
      this.hash = hash;
    }
  }

  /**
   * A corpus row after the checks: {@code problem} (a {@link CorpusValidation.Problem} key, or null
   * for a good row; the dimension is judged later, when the corpus dimension is known), the
   * vector's {@code length}, whether it was {@code offUnit}, and for good rows the unit-norm vector
   * as {@link Float32} bytes.
   */
  public static class Checked implements Serializable {
    private static final long serialVersionUID = 1L;
    private String docId;
    private Long chunkIndex;
    private Integer lane;
    private long hash;
    private String problem;
    private Integer length;
    private boolean offUnit;
    private byte[] unit;

    public String getDocId() {
      return docId;
    }

    public void setDocId(String docId) {
      this.docId = docId;
    }

    public Long getChunkIndex() {
      return chunkIndex;
    }

    public void setChunkIndex(Long chunkIndex) {
      this.chunkIndex = chunkIndex;
    }

    public Integer getLane() {
      return lane;
    }

    public void setLane(Integer lane) {
      this.lane = lane;
    }

    public long getHash() {
      return hash;
    }

    public void setHash(long hash) {
      this.hash = hash;
    }

    public String getProblem() {
      return problem;
    }

    public void setProblem(String problem) {
      this.problem = problem;
    }

    public Integer getLength() {
      return length;
    }

    public void setLength(Integer length) {
      this.length = length;
    }

    public boolean isOffUnit() {
      return offUnit;
    }

    public void setOffUnit(boolean offUnit) {
      this.offUnit = offUnit;
    }

    public byte[] getUnit() {
      return unit;
    }

    public void setUnit(byte[] unit) {
      this.unit = unit;
    }
  }

  /**
   * Classifies a row: null ids, a null vector, non-finite values (NaN, infinities, values a float
   * cannot hold), an all-zero vector; normalises good vectors that are off unit length by more than
   * {@link Vectors#UNIT_NORM_TOLERANCE}.
   */
  public static final MapFunction<Raw, Checked> CHECK =
      raw -> {
        Checked out = new Checked();
        out.docId = raw.docId;
        out.chunkIndex = raw.chunkIndex;
        out.lane = raw.lane;
        out.hash = raw.hash;
        float[] v = raw.vector;
        out.length = v == null ? null : v.length;
        out.problem = problem(raw);
        if (out.problem != null) {
          return out;
        }
        double sumSquares = 0;
        for (float x : v) {
          sumSquares += (double) x * x;
        }
        double norm = Math.sqrt(sumSquares);
        out.offUnit = Math.abs(norm - 1) > Vectors.UNIT_NORM_TOLERANCE;
        if (out.offUnit) {
          float[] scaled = new float[v.length];
          for (int i = 0; i < v.length; i++) {
            scaled[i] = (float) (v[i] / norm);
          }
          v = scaled;
        }
        out.unit = Float32.encode(v, 0, v.length);
        return out;
      };

  private static String problem(Raw raw) {
    if (raw.docId == null) {
      return CorpusValidation.Problem.NULL_DOC_ID.key();
    }
    if (raw.chunkIndex == null) {
      return CorpusValidation.Problem.NULL_CHUNK_INDEX.key();
    }
    if (raw.vector == null) {
      return CorpusValidation.Problem.NULL_VECTOR.key();
    }
    boolean zero = true;
    for (float x : raw.vector) {
      if (!Float.isFinite(x)) {
        return CorpusValidation.Problem.NON_FINITE.key();
      }
      zero &= x == 0;
    }
    return zero ? CorpusValidation.Problem.ZERO_VECTOR.key() : null;
  }
}
