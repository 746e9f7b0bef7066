package ai.lvm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScorerTest {
  @Test
  void idsRoundTripAndMeanLastKIsNamedByItsK() {
    for (Scorer s :
        List.of(Scorer.MODEL, Scorer.COPY_LAST, Scorer.MEAN_OF_CONTEXT, Scorer.meanLast(3))) {
      assertThat(Scorer.fromId(s.id())).isEqualTo(s);
    }
    assertThat(Scorer.meanLast(5).id()).isEqualTo("mean-last-5");
    assertThat(Scorer.fromId("mean-last-12")).isEqualTo(Scorer.meanLast(12));
    assertThat(Scorer.fromId("copy-last")).isSameAs(Scorer.COPY_LAST);
    for (String bad : new String[] {"mean-last-0", "mean-last-", "mean-last-03", "copy", null}) {
      assertThatThrownBy(() -> Scorer.fromId(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Scorer.meanLast(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Scorer(Scorer.Kind.COPY_LAST, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theModelComesFirstThenTheBaselinesFromTheSimplest() {
    assertThat(
            Stream.of(
                    Scorer.meanLast(10),
                    Scorer.MEAN_OF_CONTEXT,
                    Scorer.meanLast(3),
                    Scorer.COPY_LAST,
                    Scorer.MODEL)
                .sorted()
                .map(Scorer::id))
        .containsExactly("model", "copy-last", "mean-of-context", "mean-last-3", "mean-last-10");
  }
}
