package ai.lvm.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vector pass finds exactly what the plain loop finds, at every offset and length. */
class ScoreScanTest {
  /**
   * The fused pass counts what {@link Ranking#countAbove} counts and offers exactly the indexes the
   * plain loop offers, in order, while the bar rises as a top-3 list's does.
   */
  @Test
  void countAndScanMatchesTheTwoPlainPassesAtEveryOffset() {
    SplittableRandom rng = new SplittableRandom(9);
    float[] scores = new float[211];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (float) rng.nextDouble(-1, 1);
    }
    scores[40] = Float.NaN;
    scores[90] = scores[91]; // a tie
    for (double target : new double[] {-2, -0.3, 0.5, 0.95, 2}) {
      for (int from = 0; from < 40; from += 3) {
        for (int to = from; to <= scores.length; to += 11) {
          TopThree vector = new TopThree(scores);
          TopThree plain = new TopThree(scores);
          float countBar = Ranking.floatBar(target);
          long counted = ScoreScan.Lanes.countAndScan(scores, from, to, countBar, vector);
          assertThat(counted)
              .as("target %s, [%d, %d)", target, from, to)
              .isEqualTo(Ranking.countAbove(scores, from, to, target))
              .isEqualTo(ScoreScan.plainCountAndScan(scores, from, to, countBar, plain));
          assertThat(vector.offered).isEqualTo(plain.offered);
        }
      }
    }
  }

  /** Keeps the best three scores; its bar is the third best once it has three. */
  private static final class TopThree implements ScoreScan.Entries {
    private final float[] scores;
    private final java.util.List<Integer> offered = new java.util.ArrayList<>();
    private final java.util.PriorityQueue<Float> best = new java.util.PriorityQueue<>();

    TopThree(float[] scores) {
      this.scores = scores;
    }

    @Override
    public float bar() {
      return best.size() < 3 ? Float.NEGATIVE_INFINITY : best.peek();
    }

    @Override
    public void offer(int i) {
      offered.add(i);
      best.add(scores[i]);
      if (best.size() > 3) {
        best.poll();
      }
    }
  }
}
