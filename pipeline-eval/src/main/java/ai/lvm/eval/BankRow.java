package ai.lvm.eval;

import java.io.Serializable;

/** A candidate as Spark reads it (a bean, so the vector arrives as a primitive float array). */
public class BankRow implements Serializable {
  private static final long serialVersionUID = 1L;
  private String docId;
  private long chunkIndex;
  private float[] vector;

  public String getDocId() {
    return docId;
  }

  public void setDocId(String docId) {
    this.docId = docId;
  }

  public long getChunkIndex() {
    return chunkIndex;
  }

  public void setChunkIndex(long chunkIndex) {
    this.chunkIndex = chunkIndex;
  }

  public float[] getVector() {
    return vector;
  }

  public void setVector(float[] vector) {
    this.vector = vector;
  }
}
