package ai.lvm.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.ingest.Markup.Kind;
import org.junit.jupiter.api.Test;

class MarkupTest {
  private static String words(String s) {
    return s.strip().replaceAll("\\s+", " ");
  }

  @Test
  void kindsByFileName() {
    assertThat(Markup.kindOf("a/b.rst.txt")).isEqualTo(Kind.RST);
    assertThat(Markup.kindOf("b.RST")).isEqualTo(Kind.RST);
    assertThat(Markup.kindOf("c.md")).isEqualTo(Kind.MARKDOWN);
    assertThat(Markup.kindOf("d.txt")).isEqualTo(Kind.PLAIN);
    assertThat(Markup.kindOf("e.html")).isNull();
  }

  @Test
  void rstHeadingsKeepTheirTextWithoutAdornment() {
    String rst = "=====\nTitle\n=====\n\nSection\n-------\n\nBody text.\n";
    assertThat(words(Markup.strip(rst, Kind.RST))).isEqualTo("Title Section Body text.");
    assertThat(Markup.strip(rst, Kind.RST)).doesNotContain("===").doesNotContain("---");
  }

  @Test
  void rstDirectivesAndTheirBodiesGoButAdmonitionsStay() {
    String rst =
        ".. SPDX-License-Identifier: GPL-2.0\n"
            + "\n"
            + ".. _label:\n"
            + "\n"
            + "Intro text.\n"
            + "\n"
            + ".. toctree::\n"
            + "   :maxdepth: 2\n"
            + "\n"
            + "   one\n"
            + "   two\n"
            + "\n"
            + ".. note::\n"
            + "   Mind the gap.\n"
            + "\n"
            + ".. code-block:: c\n"
            + "\n"
            + "   int main(void) { return 0; }\n"
            + "\n"
            + "After code.\n";
    assertThat(words(Markup.strip(rst, Kind.RST)))
        .isEqualTo("Intro text. Mind the gap. After code.");
  }

  @Test
  void rstLiteralBlocksGoAndTheColonStays() {
    String rst =
        "Run this::\n\n    $ make\n    $ make install\n\nThen reboot.\n\n::\n\n   raw\n\nEnd.";
    assertThat(words(Markup.strip(rst, Kind.RST))).isEqualTo("Run this: Then reboot. End.");
  }

  @Test
  void rstTablesGo() {
    String rst =
        "Before.\n\n"
            + "+-----+-----+\n| a   | b   |\n+=====+=====+\n| 1   | 2   |\n+-----+-----+\n\n"
            + "Middle.\n\n"
            + "=====  =====\nA      B\n=====  =====\n1      2\n=====  =====\n\n"
            + "After.";
    assertThat(words(Markup.strip(rst, Kind.RST))).isEqualTo("Before. Middle. After.");
  }

  @Test
  void rstInlineMarkupKeepsItsText() {
    String rst =
        "See :ref:`the guide <guide>` and :c:func:`kmalloc`, ``GFP_KERNEL``, **bold**, *it*,"
            + " `Link <https://x.org>`_ and target_ here.";
    assertThat(words(Markup.strip(rst, Kind.RST)))
        .isEqualTo("See the guide and kmalloc, GFP_KERNEL, bold, it, Link and target here.");
  }

  @Test
  void markdownHeadingsFencesAndInlineMarks() {
    String md =
        "# Title\n\nSome `code` and a [link](http://x) and **bold**.\n\n```java\nint x;\n```\n\n"
            + "| a | b |\n|---|---|\n| 1 | 2 |\n\n## Next\nText <b>here</b>.";
    assertThat(words(Markup.strip(md, Kind.MARKDOWN)))
        .isEqualTo("Title Some code and a link and bold. Next Text here.");
  }

  @Test
  void plainTextIsUntouched() {
    assertThat(Markup.strip("a\n===\n.. b::", Kind.PLAIN)).isEqualTo("a\n===\n.. b::");
  }
}
