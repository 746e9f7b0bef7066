package ai.lvm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.format.Split;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lvm.eval configuration: defaults, refusals, and the eval sections of the shipped files. */
class EvalConfigTest {
  private static EvalConfig config(Map<String, Object> settings) {
    Map<String, Object> m = new HashMap<>(settings);
    m.put("lvm.root", "data");
    LvmConfig c = LvmConfig.of(m);
    c.rejectUnknownKeys(Set.of("spark", "eval"));
    return EvalConfig.from(c);
  }

  @Test
  void defaultsEvaluateValAndTestAgainstTheCorpusWithTheBestCheckpoint() {
    EvalConfig c = config(Map.of());
    assertThat(c.splits()).containsExactly(Split.VAL, Split.TEST);
    assertThat(c.bank()).isEqualTo(Bank.CORPUS);
    assertThat(c.excludeContext()).isTrue();
    assertThat(c.checkpoint()).isEqualTo("best");
    assertThat(c.runs()).isNull();
    assertThat(c.id()).matches("\\d{8}-\\d{6}");
    assertThat(c.meanLastK()).containsExactly(3, 5);
    assertThat(c.contextArLags()).containsExactly(5);
  }

  @Test
  void meanLastKIsSortedAndAnEmptyListTurnsItOff() {
    assertThat(config(Map.of("lvm.eval.mean-last-k", List.of(10, 2))).meanLastK())
        .containsExactly(2, 10);
    assertThat(config(Map.of("lvm.eval.mean-last-k", List.of())).meanLastK()).isEmpty();
    assertThat(config(Map.of("lvm.eval.context-ar", List.of(10, 3))).contextArLags())
        .containsExactly(3, 10);
    assertThat(config(Map.of("lvm.eval.context-ar", List.of())).contextArLags()).isEmpty();
    // Far beyond any context size is accepted: it is clamped to C where it is used.
    assertThat(config(Map.of("lvm.eval.mean-last-k", List.of(100_000))).meanLastK())
        .containsExactly(100_000);
  }

  @Test
  void badMeanLastKNamesTheKeyAndTheFix() {
    assertThatThrownBy(() -> config(Map.of("lvm.eval.mean-last-k", List.of(1, 5))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Invalid value for 'lvm.eval.mean-last-k': [1,5] (expected a list of distinct"
                + " integers in [2, 100000], e.g. [3, 5], or [] for none; 1 would be copy-last,"
                + " which is reported anyway).");
    assertThatThrownBy(() -> config(Map.of("lvm.eval.context-ar", List.of(65))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Invalid value for 'lvm.eval.context-ar': [65] (expected a list of distinct"
                + " integers in [2, 64], e.g. [5], or [] for none; 1 would be copy-last,"
                + " which is reported anyway).");
    for (Object bad : List.of(List.of(3, 3), List.of("x"), List.of(0), List.of(2.5), 4, "three")) {
      assertThatThrownBy(() -> config(Map.of("lvm.eval.mean-last-k", bad)))
          .as(String.valueOf(bad))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("Invalid value for 'lvm.eval.mean-last-k': ")
          .hasMessageContaining("e.g. [3, 5], or [] for none");
    }
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> config(Map.of("lvm.eval.bank", "everything")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "Invalid value for 'lvm.eval.bank': \"everything\" (expected one of [corpus,"
                + " split-targets, held-out]).");
    assertThatThrownBy(() -> config(Map.of("lvm.eval.splits", List.of("dev"))))
        .hasMessageContaining("'lvm.eval.splits'")
        .hasMessageContaining("[test, train, val]");
    assertThatThrownBy(() -> config(Map.of("lvm.eval.checkpoint", "first")))
        .hasMessageContaining("'lvm.eval.checkpoint'")
        .hasMessageContaining("best (highest validation Hit@5) or last");
    assertThatThrownBy(() -> config(Map.of("lvm.eval.runs", List.of("a", "a"))))
        .hasMessageContaining("'lvm.eval.runs'");
    assertThatThrownBy(() -> config(Map.of("lvm.eval.database", "x; DROP")))
        .hasMessageContaining("'lvm.eval.database'");
    assertThatThrownBy(() -> config(Map.of("lvm.eval.bnak", "corpus")))
        .hasMessageContaining("Did you mean 'lvm.eval.bank'");
  }

  /** The eval sections of conf/*.conf validate (export and train: ConfFilesTest). */
  @Test
  void theShippedConfFilesEvalSectionsValidate() {
    Path conf = Path.of("").toAbsolutePath().getParent().resolve("conf");
    for (String name : List.of("local.conf", "demo.conf", "seed-parity.conf", "cluster.conf")) {
      LvmConfig c = LvmConfig.load(Optional.of(conf.resolve(name).toFile()), Map.of());
      c.rejectUnknownKeys(Set.of("spark", "eval", "sql"));
      EvalConfig e = EvalConfig.from(c);
      if (name.equals("seed-parity.conf")) {
        assertThat(e.bank()).isEqualTo(Bank.SPLIT_TARGETS);
        assertThat(e.excludeContext()).isFalse();
      }
      if (name.equals("demo.conf")) {
        assertThat(e.id()).isEqualTo("demo");
      }
    }
  }
}
