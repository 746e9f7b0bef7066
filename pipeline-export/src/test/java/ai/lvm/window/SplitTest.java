package ai.lvm.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.lvm.format.Split;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitTest {

  @Test
  void articleSplitIsAStableHashOfTheDocumentId() {
    ArticleSplit split = new ArticleSplit(0.8, 0.1, 0.1);
    // Pinned: a document must stay in its split across releases of this code.
    assertThat(ArticleSplit.unitHash("doc-000000000")).isEqualTo(unitHashOracle("doc-000000000"));
    Map<Split, Integer> counts = new EnumMap<>(Split.class);
    for (int i = 0; i < 20_000; i++) {
      String id = "doc-" + i;
      assertThat(split.assign(id)).isEqualTo(split.assign(new String(id)));
      counts.merge(split.assign(id), 1, Integer::sum);
    }
    assertThat(counts.get(Split.TRAIN) / 20_000.0).isCloseTo(0.8, within(0.015));
    assertThat(counts.get(Split.VAL) / 20_000.0).isCloseTo(0.1, within(0.01));
    assertThat(counts.get(Split.TEST) / 20_000.0).isCloseTo(0.1, within(0.01));
  }

  /** SHA-256's first 8 bytes, written independently with BigInteger. */
  private static double unitHashOracle(String id) {
    try {
      byte[] h =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      java.math.BigInteger v = new java.math.BigInteger(1, java.util.Arrays.copyOf(h, 8));
      return new java.math.BigDecimal(v.shiftRight(11))
          .divide(new java.math.BigDecimal(java.math.BigInteger.ONE.shiftLeft(53)))
          .doubleValue();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void permutationIsABijectionForEverySize() {
    for (long n : new long[] {1, 2, 3, 7, 16, 17, 100, 1023, 1025}) {
      Permutation p = new Permutation(n, 42);
      Set<Long> seen = new HashSet<>();
      for (long x = 0; x < n; x++) {
        long y = p.apply(x);
        assertThat(y).isBetween(0L, n - 1);
        seen.add(y);
      }
      assertThat(seen).hasSize((int) n);
    }
  }

  @Test
  void permutationDependsOnTheSeedAndLooksRandom() {
    Permutation a = new Permutation(1000, 1);
    Permutation b = new Permutation(1000, 2);
    int same = 0;
    int fixed = 0;
    for (long x = 0; x < 1000; x++) {
      same += a.apply(x) == b.apply(x) ? 1 : 0;
      fixed += a.apply(x) == x ? 1 : 0;
    }
    assertThat(same).isLessThan(20);
    assertThat(fixed).isLessThan(20);
  }

  @Test
  void seedSplitReproducesTheReferenceCounts() {
    // Windows of the reference corpus (637,997 chunks) at C = 500, 1000, 2000, stride C/2, and
    // its reported train / val counts.
    assertCounts(2549, 2065, 230);
    assertCounts(1273, 1031, 115);
    assertCounts(635, 514, 58);
  }

  private static void assertCounts(long windows, long train, long val) {
    SeedSplit s = new SeedSplit(windows, 42, 0.1, 0.1);
    assertThat(s.trainCount()).isEqualTo(train);
    assertThat(s.valCount()).isEqualTo(val);
    Map<Split, Long> counted = new EnumMap<>(Split.class);
    for (long w = 0; w < windows; w++) {
      counted.merge(s.assign(w), 1L, Long::sum);
    }
    assertThat(counted)
        .containsEntry(Split.TRAIN, train)
        .containsEntry(Split.VAL, val)
        .containsEntry(Split.TEST, windows - train - val);
  }
}
