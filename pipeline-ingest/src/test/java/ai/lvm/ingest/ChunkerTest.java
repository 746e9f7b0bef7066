package ai.lvm.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  @Test
  void splitsSentencesInReadingOrder() {
    assertThat(
            Chunker.sentences(
                "The kernel boots. Then it mounts the root! Does it work? Yes.\n\nNew paragraph"))
        .containsExactly(
            "The kernel boots.",
            "Then it mounts the root!",
            "Does it work?",
            "Yes.",
            "New paragraph");
  }

  @Test
  void keepsAbbreviationsInitialsAndDecimalsInsideSentences() {
    assertThat(
            Chunker.sentences(
                "Use a tool, e.g. Make, on version 2.6 of it. J. Smith wrote it (see Fig. 3)."
                    + " \"Done.\" Next one"))
        .containsExactly(
            "Use a tool, e.g. Make, on version 2.6 of it.",
            "J. Smith wrote it (see Fig. 3).",
            "\"Done.\"",
            "Next one");
  }

  @Test
  void doesNotSplitBeforeLowerCase() {
    assertThat(Chunker.sentences("Call foo. then bar. Done"))
        .containsExactly("Call foo. then bar.", "Done");
  }

  @Test
  void shortSentencesMergeIntoTheNext() {
    Chunker chunker = new Chunker(20, 500);
    assertThat(
            chunker.chunk(
                "Overview\n\nThis document describes the scheduler. It is short. Ok. A final"
                    + " sentence that is long enough."))
        .containsExactly(
            "Overview This document describes the scheduler.",
            // "It is short." (12 chars) takes "Ok.", still short, so it takes the next one too.
            "It is short. Ok. A final sentence that is long enough.");
  }

  @Test
  void aShortLastSentenceMergesIntoThePreviousChunk() {
    Chunker chunker = new Chunker(20, 500);
    assertThat(chunker.chunk("This is a long enough first sentence. End."))
        .containsExactly("This is a long enough first sentence. End.");
  }

  @Test
  void mergingNeverExceedsTheMaximum() {
    Chunker chunker = new Chunker(30, 40);
    List<String> chunks =
        chunker.chunk("Tiny. Another short sentence that fills it. And a third sentence here.");
    assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(40));
    assertThat(String.join(" ", chunks))
        .isEqualTo("Tiny. Another short sentence that fills it. And a third sentence here.");
  }

  @Test
  void cutsOverLongSentencesAtWordBoundaries() {
    String sentence = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu.";
    List<String> chunks = new Chunker(0, 20).chunk(sentence);
    assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(20));
    assertThat(chunks).allSatisfy(c -> assertThat(c).doesNotStartWith(" ").doesNotEndWith(" "));
    assertThat(String.join(" ", chunks)).isEqualTo(sentence);
    assertThat(chunks.get(0)).isEqualTo("alpha beta gamma");
  }

  @Test
  void cutsAWordLongerThanTheMaximumHard() {
    assertThat(new Chunker(0, 4).chunk("abcdefghij")).containsExactly("abcd", "efgh", "ij");
  }

  @Test
  void neverSplitsASurrogatePair() {
    String s = "ab\uD83D\uDE00cd"; // an emoji is two UTF-16 units
    List<String> chunks = new Chunker(0, 3).chunk(s);
    assertThat(String.join("", chunks)).isEqualTo(s);
    assertThat(chunks)
        .allSatisfy(c -> assertThat(Character.isHighSurrogate(c.charAt(c.length() - 1))).isFalse());
  }

  @Test
  void emptyAndBlankTextsHaveNoChunks() {
    assertThat(new Chunker(20, 500).chunk("")).isEmpty();
    assertThat(new Chunker(20, 500).chunk(" \n\n \t")).isEmpty();
  }

  @Test
  void isDeterministic() {
    String text = "One sentence here. Two sentences there! Three? ".repeat(50);
    assertThat(new Chunker(20, 120).chunk(text)).isEqualTo(new Chunker(20, 120).chunk(text));
  }

  @Test
  void rejectsInconsistentLimits() {
    assertThatThrownBy(() -> new Chunker(50, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
