package ai.lvm.train;

import org.bytedeco.javacpp.Pointer;

/**
 * Keeps a training process's resident memory bounded. ND4J's CPU arrays live off-heap and are freed
 * when the collector finds their small on-heap handles dead; a training step makes tens of MB of
 * such garbage and almost no heap garbage, so the collector may not run for many steps while the
 * process grows by gigabytes (measured: 12-16 GB resident after a few hundred dense steps, and
 * killed by the kernel). JavaCPP's own limit does not see libnd4j's buffers, so the trainer asks
 * here after every micro-batch: past the budget, one collection frees them.
 */
final class OffHeapGuard {
  /** Resident bytes above which a collection is forced: 3/4 of JavaCPP's physical limit. */
  private static final long BUDGET =
      Pointer.maxPhysicalBytes() > 0
          ? Pointer.maxPhysicalBytes() / 4 * 3
          : Runtime.getRuntime().maxMemory() * 3 / 2;

  /**
   * At most one forced collection per interval: freed native memory is not always returned to the
   * operating system, so the resident size can stay above the budget after a collection, and a
   * collection per micro-batch would cost more than it frees.
   */
  private static final long MIN_INTERVAL_NANOS = 2_000_000_000L;

  private static long lastCollection = System.nanoTime() - MIN_INTERVAL_NANOS;

  private OffHeapGuard() {}

  /** Collects garbage when the process's resident size is past the budget. */
  static synchronized void check() {
    long now = System.nanoTime();
    if (now - lastCollection >= MIN_INTERVAL_NANOS && Pointer.physicalBytes() > BUDGET) {
      System.gc();
      lastCollection = System.nanoTime();
    }
  }
}
