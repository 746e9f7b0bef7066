package ai.lvm.window;

import ai.lvm.format.Protocol;

/**
 * Window arithmetic over one ordered stream of N chunks (positions 0..N-1).
 *
 * <p>Window {@code w} has context positions {@code [w*stride, w*stride + C)} and its target at
 * {@code w*stride + C}. The seed protocol keeps the reference formula {@code (N - C - 1) / stride},
 * which can leave out the last window whose target exists; the article protocol cuts every window
 * whose target exists: {@code (N - C - 1) / stride + 1}.
 */
public final class WindowMath {
  private WindowMath() {}

  public static long windowCount(
      long streamLength, int contextSize, int stride, Protocol protocol) {
    long room = streamLength - contextSize - 1;
    if (room < 0) {
      return 0;
    }
    return protocol == Protocol.SEED ? room / stride : room / stride + 1;
  }

  public static long targetPosition(long window, int contextSize, int stride) {
    return window * stride + contextSize;
  }

  /**
   * Windows are cut in blocks of {@code windowsPerBlock} consecutive windows, so that one task
   * holds one block's chunks in memory. Block {@code b} needs positions {@code [firstPosition(b),
   * lastPosition(b)]}.
   */
  public record Blocks(int contextSize, int stride, long windowsPerBlock)
      implements java.io.Serializable {
    public Blocks {
      if (stride < 1 || contextSize < 1 || windowsPerBlock < 1) {
        throw new IllegalArgumentException("stride, context size and block size must be >= 1");
      }
    }

    /** Sizes blocks to about {@code maxVectors} chunks each (at least one window). */
    public static Blocks sized(int contextSize, int stride, long maxVectors) {
      long perBlock = Math.max(1, (maxVectors - contextSize - 1) / stride + 1);
      return new Blocks(contextSize, stride, perBlock);
    }

    public long blockOf(long window) {
      return window / windowsPerBlock;
    }

    public long firstWindow(long block) {
      return block * windowsPerBlock;
    }

    public long firstPosition(long block) {
      return firstWindow(block) * stride;
    }

    public long lastPosition(long block) {
      return targetPosition(firstWindow(block) + windowsPerBlock - 1, contextSize, stride);
    }

    /** Chunks one block holds: its span of positions. */
    public long span() {
      return (windowsPerBlock - 1) * stride + contextSize + 1;
    }

    /** The first block whose span contains position {@code p}. */
    public long firstBlockContaining(long p) {
      // lastPosition(b) >= p  <=>  (b+1)*K*s >= p - C + s
      long need = p - contextSize + stride;
      long k = windowsPerBlock * stride;
      long b = need <= 0 ? 0 : Math.floorDiv(need + k - 1, k) - 1;
      return Math.max(0, b);
    }

    /** The last block whose span contains position {@code p}. */
    public long lastBlockContaining(long p) {
      return Math.floorDiv(p, windowsPerBlock * stride);
    }
  }
}
