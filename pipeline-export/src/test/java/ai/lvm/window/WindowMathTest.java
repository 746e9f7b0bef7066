package ai.lvm.window;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.format.Protocol;
import ai.lvm.window.WindowMath.Blocks;
import org.junit.jupiter.api.Test;

class WindowMathTest {

  @Test
  void seedCountIsTheReferenceFormula() {
    // (N - C - 1) // stride, the reference system's count, for its 637,997-chunk corpus.
    assertThat(WindowMath.windowCount(637_997, 1000, 500, Protocol.SEED)).isEqualTo(1273);
    assertThat(WindowMath.windowCount(637_997, 500, 250, Protocol.SEED)).isEqualTo(2549);
    assertThat(WindowMath.windowCount(637_997, 2000, 1000, Protocol.SEED)).isEqualTo(635);
    assertThat(WindowMath.windowCount(100, 100, 50, Protocol.SEED)).isZero();
  }

  @Test
  void articleCountCutsEveryWindowWhoseTargetExists() {
    for (long n = 0; n < 60; n++) {
      for (int c = 1; c < 12; c++) {
        for (int s = 1; s < 8; s++) {
          long expected = 0;
          while (WindowMath.targetPosition(expected, c, s) <= n - 1) {
            expected++;
          }
          assertThat(WindowMath.windowCount(n, c, s, Protocol.ARTICLE))
              .as("n=%d c=%d s=%d", n, c, s)
              .isEqualTo(expected);
          assertThat(WindowMath.windowCount(n, c, s, Protocol.SEED))
              .isEqualTo(Math.max(0, (n - c - 1) / s));
        }
      }
    }
  }

  @Test
  void blocksContainingAPositionAreExactlyThoseWhoseSpanHoldsIt() {
    for (int c = 1; c <= 9; c++) {
      for (int s = 1; s <= 6; s++) {
        for (long k = 1; k <= 4; k++) {
          Blocks b = new Blocks(c, s, k);
          for (long p = 0; p < 120; p++) {
            long first = Long.MAX_VALUE;
            long last = -1;
            for (long block = 0; block < 200; block++) {
              if (b.firstPosition(block) <= p && p <= b.lastPosition(block)) {
                first = Math.min(first, block);
                last = Math.max(last, block);
              }
            }
            String at = String.format("c=%d s=%d k=%d p=%d", c, s, k, p);
            if (last < 0) {
              // A stride longer than C + 1 leaves positions no window uses: an empty range.
              assertThat(b.firstBlockContaining(p)).as(at).isGreaterThan(b.lastBlockContaining(p));
            } else {
              assertThat(b.firstBlockContaining(p)).as(at).isEqualTo(first);
              assertThat(b.lastBlockContaining(p)).as(at).isEqualTo(last);
            }
            assertThat(b.lastPosition(0) - b.firstPosition(0) + 1).isEqualTo(b.span());
          }
        }
      }
    }
  }

  @Test
  void blocksAreSizedToTheMemoryBudget() {
    Blocks b = Blocks.sized(1000, 500, 21_845);
    assertThat(b.span()).isLessThanOrEqualTo(21_845);
    assertThat(Blocks.sized(1000, 500, 10).windowsPerBlock()).isEqualTo(1);
  }
}
