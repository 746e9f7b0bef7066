package ai.lvm.device;

/**
 * One GPU as {@code nvidia-smi} reports it.
 *
 * @param index the CUDA device index (what Spark's GPU discovery script calls its address)
 * @param computeCapability e.g. {@code 8.6}
 */
public record Gpu(int index, String name, String computeCapability) {

  /** Compute capability as major * 10 + minor (8.6 -> 86), for comparisons. */
  public int smVersion() {
    String[] parts = computeCapability.strip().split("\\.");
    return Integer.parseInt(parts[0]) * 10 + (parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
  }
}
