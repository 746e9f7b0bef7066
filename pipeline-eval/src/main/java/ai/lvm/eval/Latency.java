package ai.lvm.eval;

import java.io.Serializable;

/**
 * Inference speed of one run's model on the machine that evaluated it.
 *
 * @param p50Millis median single-window latency after warm-up
 * @param p99Millis 99th-percentile single-window latency
 * @param windowsPerSecond batched throughput
 * @param batchSize the batch of the throughput measurement
 * @param device the backend and device, e.g. {@code cpu (2 threads)}
 */
public record Latency(
    String runId,
    String model,
    int contextSize,
    double p50Millis,
    double p99Millis,
    double windowsPerSecond,
    int batchSize,
    String device)
    implements Serializable {}
