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
  /** Resident bytes above which a collection is forced ({@link #budget}). */
  private static final long BUDGET =
      budget(Runtime.getRuntime().maxMemory(), Pointer.maxBytes(), Pointer.maxPhysicalBytes());

  /**
   * At most one forced collection per interval: freed native memory is not always returned to the
   * operating system, so the resident size can stay above the budget after a collection, and a
   * collection per micro-batch would cost more than it frees.
   */
  private static final long MIN_INTERVAL_NANOS = 2_000_000_000L;

  private static long lastCollection = System.nanoTime() - MIN_INTERVAL_NANOS;

  private OffHeapGuard() {}

  /**
   * The resident size past which the guard collects: what the process was given, its heap limit
   * plus JavaCPP's array limit ({@code -Xmx} + {@code org.bytedeco.javacpp.maxbytes}, the two
   * figures {@code bin/lvm} and docs/operations.md's executor settings set), and never more than
   * 3/4 of JavaCPP's physical limit where one is set. The physical limit alone was the budget
   * before: JavaCPP derives it from the machine's memory when {@code maxphysicalbytes} is not
   * given, so under {@code bin/lvm} on a 24 GB machine nothing collected below 17.7 GB, and a
   * process training two runs on a 228k-chunk corpus held 16-17 GB of dead arrays (9.1 GB when
   * collected past 9 GB, at the same epoch time: docs/benchmarks.md). A limit that is not set (0 or
   * less) does not count; with none set, 3/2 of the heap limit.
   */
  static long budget(long heapLimit, long arrayLimit, long physicalLimit) {
    long given = arrayLimit > 0 ? heapLimit + arrayLimit : heapLimit / 2 * 3;
    return physicalLimit > 0 ? Math.min(given, physicalLimit / 4 * 3) : given;
  }

  /** Collects garbage when the process's resident size is past the budget. */
  static synchronized void check() {
    long now = System.nanoTime();
    if (now - lastCollection >= MIN_INTERVAL_NANOS && Pointer.physicalBytes() > BUDGET) {
      System.gc();
      lastCollection = System.nanoTime();
    }
  }
}
