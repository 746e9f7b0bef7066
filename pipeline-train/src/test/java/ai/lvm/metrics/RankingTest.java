package ai.lvm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RankingTest {

  @Test
  void floatBarSplitsFloatsExactlyAsTheDoubleBarDoes() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 10_000; i++) {
      double target = rng.nextDouble() * 2 - 1;
      double bar = Ranking.bar(target);
      float f = Ranking.floatBar(target);
      // every float near the bar lands on the same side of both
      float s = Math.nextDown(Math.nextDown(f));
      for (int step = 0; step < 5; step++, s = Math.nextUp(s)) {
        assertEquals(s > bar, s > f, "score " + s + " against target " + target);
      }
    }
    // a bar that is itself a float
    assertEquals(0.5f, Ranking.floatBar(0.5 - Ranking.TIE_TOLERANCE), 0f);
  }

  @Test
  void countAboveOnFloatsSkipsTiesAndCountsTheRest() {
    float[] scores = {0.9f, 0.5f, 0.500004f, 0.6f, -1f, 0.50002f};
    // the target's own score and a copy within the tolerance are ties, 0.50002 beats it
    assertEquals(3, Ranking.countAbove(scores, 0, scores.length, 0.5));
    assertEquals(1, Ranking.countAbove(scores, 1, 4, 0.5));
    assertEquals(0, Ranking.countAbove(scores, 2, 2, -5));
  }
}
