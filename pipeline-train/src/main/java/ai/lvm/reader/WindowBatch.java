package ai.lvm.reader;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch of windows as ND4J arrays.
 *
 * @param windowIds the {@code window_id} of each row
 * @param contexts [B, C, D] float32, context position major, as stored
 * @param targets [B, D] float32
 */
public record WindowBatch(long[] windowIds, INDArray contexts, INDArray targets) {
  public int size() {
    return windowIds.length;
  }
}
