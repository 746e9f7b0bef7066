package ai.lvm.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vector scan finds exactly what the plain loop finds, at every offset and length. */
class ScoreScanTest {
  @Test
  void theVectorPathFindsThePlainLoopsIndex() {
    SplittableRandom rng = new SplittableRandom(5);
    float[] scores = new float[203];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (float) rng.nextDouble(-1, 1);
    }
    scores[77] = Float.NaN; // never at or above a bar, in either path
    for (float bar : new float[] {Float.NEGATIVE_INFINITY, -0.5f, 0.9f, 0.99f, 2f}) {
      for (int from = 0; from < 40; from++) {
        for (int to = from; to <= scores.length; to += 7) {
          assertThat(ScoreScan.Lanes.nextAtLeast(scores, from, to, bar))
              .as("bar %s, [%d, %d)", bar, from, to)
              .isEqualTo(ScoreScan.plain(scores, from, to, bar));
        }
      }
    }
    assertThat(ScoreScan.nextAtLeast(scores, 0, scores.length, 2f)).isEqualTo(scores.length);
  }
}
