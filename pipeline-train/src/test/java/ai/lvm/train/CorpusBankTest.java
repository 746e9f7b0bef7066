package ai.lvm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.lvm.metrics.Ranking;
import ai.lvm.reader.ContextSegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The corpus bank's ranks against an oracle written out in double precision. */
class CorpusBankTest {
  private static final int D = 8;
  private static final String[] DOCS = {"b", "a", "é"}; // é sorts last in UTF-8, as Spark sorts

  private static float[] unit(SplittableRandom rng) {
    float[] v = new float[D];
    double norm = 0;
    for (int j = 0; j < D; j++) {
      v[j] = (float) rng.nextGaussian();
      norm += v[j] * v[j];
    }
    for (int j = 0; j < D; j++) {
      v[j] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  @Test
  void ranksCountEligibleCandidatesAboveTheTargetAcrossBlocksWithContextsLeftOut() {
    SplittableRandom rng = new SplittableRandom(3);
    List<CorpusBank.Chunk> chunks = new ArrayList<>();
    for (String doc : DOCS) {
      for (int i = 0; i < 12; i++) {
        if (doc.equals("b") && i == 2) {
          continue; // b lacks chunk 7 (an unusable vector dropped): its context run has a gap
        }
        chunks.add(new CorpusBank.Chunk(doc, 5 + i, unit(rng))); // chunk indexes start at 5
      }
    }
    List<CorpusBank.Chunk> shuffled = new ArrayList<>(chunks);
    Collections.shuffle(shuffled, new java.util.Random(1));
    CorpusBank bank = CorpusBank.of(shuffled, D, 10); // blocks of 10, 10, 10 and 5 rows
    assertEquals(35, bank.size());

    // Queries: a target (a corpus chunk) and a context (segments) of its document
    int[] targetRow = {3, 14, 30, 20};
    List<List<ContextSegment>> excluded =
        List.of(
            List.of(new ContextSegment("b", 5, 3)), // chunks 5-7 of b (7 absent: not 8 instead)
            List.of(new ContextSegment("a", 2, 5)), // starts before a's first chunk
            List.of(
                new ContextSegment("é", 10, 20),
                new ContextSegment("zz", 0, 4)), // past the end; unknown doc
            List.of()); // nothing excluded
    float[][] predictions = new float[targetRow.length][];
    INDArray p = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, targetRow.length, D);
    INDArray y = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, targetRow.length, D);
    for (int q = 0; q < targetRow.length; q++) {
      predictions[q] = unit(rng);
      p.putRow(q, Nd4j.createFromArray(predictions[q]));
      y.putRow(q, Nd4j.createFromArray(chunks.get(targetRow[q]).v()));
    }

    int[] oracle = new int[targetRow.length];
    for (int q = 0; q < targetRow.length; q++) {
      float[] target = chunks.get(targetRow[q]).v();
      double bar = Ranking.bar(Ranking.dot(predictions[q], 0, target, 0, D));
      int above = 0;
      for (CorpusBank.Chunk c : chunks) {
        boolean inContext =
            excluded.get(q).stream()
                .anyMatch(
                    s ->
                        s.docId().equals(c.docId())
                            && c.chunkIndex() >= s.firstChunk()
                            && c.chunkIndex() < s.firstChunk() + s.length());
        if (!inContext && Ranking.dot(predictions[q], 0, c.v(), 0, D) > bar) {
          above++;
        }
      }
      oracle[q] = 1 + above;
    }
    assertArrayEquals(oracle, bank.ranks(p, y, excluded));
  }
}
