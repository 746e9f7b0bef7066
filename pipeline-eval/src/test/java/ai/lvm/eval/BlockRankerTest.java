package ai.lvm.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.metrics.BankProduct;
import ai.lvm.metrics.Interval;
import ai.lvm.metrics.Ranking;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ranking maths of the evaluation, block by block, against a plain double-precision oracle. */
class BlockRankerTest {
  private static final int D = 16;

  /** A bank of {@code n} random unit vectors: doc "d<i/10>", chunk i%10. */
  private static List<BankBlock.Entry> bank(int n, Random random) {
    List<BankBlock.Entry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new BankBlock.Entry("d" + (i / 10), i % 10, randomUnit(random)));
    }
    return out;
  }

  private static float[] randomUnit(Random random) {
    float[] v = new float[D];
    for (int j = 0; j < D; j++) {
      v[j] = (float) random.nextGaussian();
    }
    UnitVectors.normalise(v, 0, D);
    return v;
  }

  /** A query predicting {@code prediction} whose target is bank entry {@code target}. */
  private static ScoredWindow query(
      int id, float[] prediction, BankBlock.Entry target, String[] doc, long[] first, int[] len) {
    String[] exDoc = new String[doc.length + 1];
    long[] exFirst = new long[doc.length + 1];
    int[] exLen = new int[doc.length + 1];
    exDoc[0] = target.docId();
    exFirst[0] = target.chunkIndex();
    exLen[0] = 1;
    for (int i = 0; i < doc.length; i++) {
      exDoc[i + 1] = doc[i];
      exFirst[i + 1] = first[i];
      exLen[i + 1] = len[i];
    }
    double cosine = Ranking.dot(prediction, 0, target.unit(), 0, D);
    return new ScoredWindow(
        new QueryKey(0, id),
        "p",
        target.docId(),
        target.chunkIndex(),
        null,
        doc,
        prediction,
        cosine,
        exDoc,
        exFirst,
        exLen);
  }

  private static ScoredWindow query(int id, float[] prediction, BankBlock.Entry target) {
    return query(id, prediction, target, new String[0], new long[0], new int[0]);
  }

  /** Ranks against the bank cut into blocks of {@code blockSize}, merged as the job merges. */
  private static PartialRank[] rank(
      List<ScoredWindow> qs, List<BankBlock.Entry> bank, int blockSize) {
    QueryBlock q = new QueryBlock("p", D, qs);
    PartialRank[] merged = null;
    BankProduct kernel =
        new BankProduct(); // reused across blocks of different sizes, as a task does
    for (int from = 0; from < bank.size(); from += blockSize) {
      BankBlock b =
          BankBlock.of("p", D, bank.subList(from, Math.min(bank.size(), from + blockSize)));
      PartialRank[] part = BlockRanker.rank(q, b, EvalConfig.MAX_K, kernel);
      if (merged == null) {
        merged = part;
      } else {
        for (int i = 0; i < part.length; i++) {
          merged[i] = merged[i].merge(part[i]);
        }
      }
    }
    return merged;
  }

  /** The oracle: 1 + eligible candidates beating the target, in double precision. */
  private static long oracleRank(ScoredWindow q, List<BankBlock.Entry> bank) {
    long above = 0;
    for (BankBlock.Entry e : bank) {
      if (excluded(q, e)) {
        continue;
      }
      double s = Ranking.dot(q.prediction(), 0, e.unit(), 0, D);
      above += s > q.cosine() + Ranking.TIE_TOLERANCE ? 1 : 0;
    }
    return 1 + above;
  }

  private static boolean excluded(ScoredWindow q, BankBlock.Entry e) {
    for (int i = 0; i < q.excludedDoc().length; i++) {
      if (q.excludedDoc()[i].equals(e.docId())
          && e.chunkIndex() >= q.excludedFirst()[i]
          && e.chunkIndex() < q.excludedFirst()[i] + q.excludedLength()[i]) {
        return true;
      }
    }
    return false;
  }

  @Test
  void anOraclePredictionRanksFirst() {
    Random random = new Random(1);
    List<BankBlock.Entry> bank = bank(500, random);
    List<ScoredWindow> qs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      BankBlock.Entry t = bank.get(random.nextInt(bank.size()));
      qs.add(query(i, t.unit().clone(), t));
    }
    for (PartialRank r : rank(qs, bank, 128)) {
      assertThat(1 + r.above()).isEqualTo(1);
      assertThat(r.candidates()).isEqualTo(499);
      // The target itself is excluded from its own neighbours; the best other one is below it.
      assertThat(r.neighbours().size).isEqualTo(EvalConfig.MAX_K);
    }
  }

  @Test
  void aRandomPredictionHitsAtChanceWithinItsInterval() {
    Random random = new Random(2);
    List<BankBlock.Entry> bank = bank(400, random);
    List<ScoredWindow> qs = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      qs.add(query(i, randomUnit(random), bank.get(random.nextInt(bank.size()))));
    }
    PartialRank[] ranks = rank(qs, bank, 97);
    for (int k : new int[] {1, 5, 10}) {
      long hits = 0;
      for (PartialRank r : ranks) {
        hits += 1 + r.above() <= k ? 1 : 0;
      }
      Interval i = Interval.wilson(hits, ranks.length);
      double chance = Ranking.chance(k, 400); // the target plus 399 eligible competitors
      assertThat(chance).isBetween(i.low(), i.high());
    }
  }

  @Test
  void ranksAndNeighboursDoNotDependOnHowTheBankIsBlocked() {
    Random random = new Random(3);
    List<BankBlock.Entry> bank = bank(300, random);
    List<ScoredWindow> qs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      BankBlock.Entry t = bank.get(random.nextInt(bank.size()));
      // Context: two runs of chunks of other documents.
      qs.add(
          query(
              i,
              randomUnit(random),
              t,
              new String[] {"d3", "d7"},
              new long[] {2, 0},
              new int[] {5, 10}));
    }
    PartialRank[] whole = rank(qs, bank, 300);
    PartialRank[] blocked = rank(qs, bank, 17);
    for (int i = 0; i < qs.size(); i++) {
      assertThat(blocked[i].above()).isEqualTo(whole[i].above());
      assertThat(blocked[i].candidates()).isEqualTo(whole[i].candidates());
      assertThat(blocked[i].neighbours().toString()).isEqualTo(whole[i].neighbours().toString());
      assertThat(1 + whole[i].above()).isEqualTo(oracleRank(qs.get(i), bank));
    }
  }

  @Test
  void excludedContextChunksDoNotCompete() {
    Random random = new Random(4);
    List<BankBlock.Entry> bank = bank(100, random);
    BankBlock.Entry target = bank.get(55);
    BankBlock.Entry contextChunk = bank.get(21); // d2 chunk 1
    // The prediction is the context chunk itself: it beats the target unless excluded.
    float[] p = contextChunk.unit().clone();
    ScoredWindow withExclusion =
        query(0, p, target, new String[] {"d2"}, new long[] {0}, new int[] {10});
    ScoredWindow without = query(1, p, target);
    PartialRank[] r = rank(List.of(withExclusion, without), bank, 30);
    assertThat(1 + r[1].above()).isGreaterThan(1 + r[0].above());
    assertThat(r[0].candidates()).isEqualTo(100 - 1 - 10);
    assertThat(r[0].neighbours().docIds).doesNotContain("d2");
    assertThat(r[1].neighbours().docIds[0]).isEqualTo("d2");
    assertThat(r[1].neighbours().chunkIndexes[0]).isEqualTo(1);
  }

  @Test
  void aCopyOfTheTargetElsewhereInTheBankIsATieAndCountsAsAHit() {
    Random random = new Random(5);
    List<BankBlock.Entry> bank = new ArrayList<>(bank(200, random));
    BankBlock.Entry target = bank.get(10);
    // Boilerplate: the same sentence in another document, several times.
    for (int i = 0; i < 3; i++) {
      bank.add(new BankBlock.Entry("boilerplate", i, target.unit().clone()));
    }
    float[] p = target.unit().clone();
    for (int j = 0; j < D; j++) {
      p[j] += (float) (0.05 * random.nextGaussian());
    }
    UnitVectors.normalise(p, 0, D);
    PartialRank[] r = rank(List.of(query(0, p, target)), bank, 64);
    assertThat(1 + r[0].above()).isEqualTo(1);
    assertThat(r[0].neighbours().docIds[0]).isEqualTo("boilerplate");
  }

  @Test
  void kLargerThanThePoolKeepsEveryCandidate() {
    Random random = new Random(6);
    List<BankBlock.Entry> bank = bank(6, random);
    PartialRank[] r = rank(List.of(query(0, randomUnit(random), bank.get(0))), bank, 4);
    assertThat(r[0].candidates()).isEqualTo(5);
    assertThat(r[0].neighbours().size).isEqualTo(5);
    assertThat(1 + r[0].above()).isBetween(1L, 6L);
  }
}
