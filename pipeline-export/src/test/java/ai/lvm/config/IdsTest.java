package ai.lvm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link Ids}: the names every stage accepts, and the refusal that names the key. */
class IdsTest {
  @Test
  void directoryNamesThatNoListingHidesAreIds() {
    assertThat(Ids.valid("demo-pages")).isTrue();
    assertThat(Ids.valid("grid-demo-pages-c100-gru-s42-learning-rate0.001-b7e4012e")).isTrue();
    assertThat(Ids.valid("20261201-213000")).isTrue();
    assertThat(Ids.valid("a".repeat(255))).isTrue();

    assertThat(Ids.valid(null)).isFalse();
    assertThat(Ids.valid("")).isFalse();
    assertThat(Ids.valid("_hidden")).isFalse();
    assertThat(Ids.valid(".hidden")).isFalse();
    assertThat(Ids.valid("../up")).isFalse();
    assertThat(Ids.valid("a/b")).isFalse();
    assertThat(Ids.valid("my run")).isFalse();
    assertThat(Ids.valid("k=v")).isFalse();
    assertThat(Ids.valid("a".repeat(256))).isFalse();
  }

  @Test
  void aRefusalNamesTheKeyTheValueAndTheRule() {
    assertThat(Ids.require("lvm.eval.id", "nightly", "it names a directory")).isEqualTo("nightly");
    assertThatThrownBy(() -> Ids.require("lvm.eval.id", "../x", "it names a directory"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'lvm.eval.id'")
        .hasMessageContaining("../x")
        .hasMessageContaining("starting with a letter or digit")
        .hasMessageContaining("it names a directory");
  }
}
