package ai.lvm.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The real all-MiniLM-L6-v2 models (fp32 and int8), loaded once per JVM. */
class MiniLmEncoderTest {
  private static double cos(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double norm(float[] a) {
    return Math.sqrt(cos(a, a));
  }

  @Test
  void fp32VectorsAreUnitLength384AndParaphrasesAreCloser() {
    SentenceEncoder encoder = Encoders.get(EncoderModel.MINILM, 1);
    assertThat(encoder.dimension()).isEqualTo(384);
    assertThat(encoder.name()).isEqualTo("all-MiniLM-L6-v2");
    float[][] v =
        encoder.encode(
            List.of(
                "The cat is sitting on the mat.",
                "A cat sits on a rug.",
                "Interest rates rose sharply in the bond market."));
    assertThat(v).hasNumberOfRows(3);
    for (float[] x : v) {
      assertThat(x).hasSize(384);
      assertThat(norm(x)).isCloseTo(1.0, within(1e-4));
    }
    assertThat(cos(v[0], v[1])).isGreaterThan(cos(v[0], v[2]) + 0.2);
    assertThat(cos(v[0], v[1])).isGreaterThan(cos(v[1], v[2]) + 0.2);
  }

  @Test
  void int8IsCloseToFp32AndKeepsTheOrder() {
    SentenceEncoder fp32 = Encoders.get(EncoderModel.MINILM, 1);
    SentenceEncoder int8 = Encoders.get(EncoderModel.MINILM_INT8, 1);
    List<String> texts =
        List.of(
            "The scheduler picks the next task to run.",
            "Which process runs next is chosen by the scheduler.",
            "Bananas are rich in potassium.");
    float[][] a = fp32.encode(texts);
    float[][] b = int8.encode(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(norm(b[i])).isCloseTo(1.0, within(1e-4));
      assertThat(cos(a[i], b[i])).isGreaterThan(0.9);
    }
    assertThat(cos(b[0], b[1])).isGreaterThan(cos(b[0], b[2]) + 0.2);
  }

  @Test
  void sameTextSameVectorBitForBitWhateverTheBatch() {
    SentenceEncoder encoder = Encoders.get(EncoderModel.MINILM, 1);
    String text = "Memory barriers order loads and stores.";
    float[] alone = encoder.encode(List.of(text))[0];
    float[] inBatch = encoder.encode(List.of("Something else entirely.", text, "And more."))[1];
    float[] again = encoder.encode(List.of(text))[0];
    assertThat(inBatch).containsExactly(alone);
    assertThat(again).containsExactly(alone);
  }

  @Test
  void oneInstancePerModelAndJvm() {
    assertThat(Encoders.get(EncoderModel.MINILM, 1)).isSameAs(Encoders.get(EncoderModel.MINILM, 1));
  }
}
