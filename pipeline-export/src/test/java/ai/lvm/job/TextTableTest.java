package ai.lvm.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TextTable}: both styles, exactly, and a row of the wrong width refused. */
class TextTableTest {
  @Test
  void consoleStyleAlignsTextLeftAndNumbersRight() {
    String out =
        TextTable.of("run", ">hit@5", "device")
            .row("a-long-run-id", "12.50%", "cpu")
            .row("b", "9.00%", null)
            .render("  ");
    assertThat(out)
        .isEqualTo(
            "  run             hit@5  device\n"
                + "  -----------------------------\n"
                + "  a-long-run-id  12.50%  cpu\n"
                + "  b               9.00%  -\n");
  }

  @Test
  void sqlStyleSeparatesWithBarsAndCutsLongCells() {
    String out =
        TextTable.sql(List.of("k", "v")).row("x", "y".repeat(70)).row("longer", "z").render("");
    String[] lines = out.split("\n");
    assertThat(lines[0]).isEqualTo("k      | v");
    assertThat(lines[1]).isEqualTo("-------+-" + "-".repeat(60));
    assertThat(lines[2]).isEqualTo("x      | " + "y".repeat(59) + "~");
    assertThat(lines[3]).isEqualTo("longer | z");
  }

  @Test
  void aRowMustHaveOneCellPerColumn() {
    assertThatThrownBy(() -> TextTable.of("a", "b").row("only one"))
        .hasMessage("expected 2 cells, got 1");
  }
}
