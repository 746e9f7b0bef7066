package ai.lvm.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cuts a document's text into sentence-level chunks in reading order. Pure and deterministic: the
 * same text and limits give the same chunks on any JVM (no locale-dependent break iterator), so a
 * re-ingest of the same documents yields the same corpus.
 *
 * <p>Rules: paragraphs (separated by blank lines) and sentences (ending in {@code . ! ?} followed
 * by whitespace and not a lower-case letter, not after a known abbreviation or a single-letter
 * initial) are the units. A unit longer than {@code maxChars} is cut at the last whitespace before
 * the limit (hard cut when a word alone is longer). Consecutive units are joined with one space
 * while the chunk so far is shorter than {@code minChars} and the join fits in {@code maxChars}: a
 * short sentence or a heading merges into the next one. A short last unit merges into the chunk
 * before it when that fits.
 */
public final class Chunker {
  /** Words whose trailing period does not end a sentence (lower-cased, without the period). */
  private static final Set<String> ABBREVIATIONS =
      Set.of(
          "e.g", "i.e", "etc", "vs", "cf", "mr", "mrs", "ms", "dr", "prof", "st", "fig", "figs",
          "no", "nos", "vol", "approx", "ca", "al", "resp", "incl", "jan", "feb", "mar", "apr",
          "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec");

  private final int minChars;
  private final int maxChars;

  public Chunker(int minChars, int maxChars) {
    if (maxChars < 1 || minChars < 0 || minChars > maxChars) {
      throw new IllegalArgumentException(
          "Invalid chunk limits: min "
              + minChars
              + ", max "
              + maxChars
              + " (need 0 <= min <= max)");
    }
    this.minChars = minChars;
    this.maxChars = maxChars;
  }

  /** The chunks of {@code text}, in reading order; empty when the text has no visible content. */
  public List<String> chunk(String text) {
    List<String> units = new ArrayList<>();
    for (String sentence : sentences(text)) {
      units.addAll(cut(sentence, maxChars));
    }
    List<String> chunks = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String unit : units) {
      if (current.length() == 0) {
        current.append(unit);
      } else if (current.length() < minChars && current.length() + 1 + unit.length() <= maxChars) {
        current.append(' ').append(unit);
      } else {
        chunks.add(current.toString());
        current.setLength(0);
        current.append(unit);
      }
    }
    if (current.length() > 0) {
      int last = chunks.size() - 1;
      if (current.length() < minChars
          && last >= 0
          && chunks.get(last).length() + 1 + current.length() <= maxChars) {
        chunks.set(last, chunks.get(last) + " " + current);
      } else {
        chunks.add(current.toString());
      }
    }
    return chunks;
  }

  /** Sentences of the text: paragraphs split on blank lines, whitespace collapsed, then split. */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    for (String paragraph : text.split("\\n\\s*\\n")) {
      String p = paragraph.strip().replaceAll("\\s+", " ");
      if (p.isEmpty()) {
        continue;
      }
      int start = 0;
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        if (c != '.' && c != '!' && c != '?') {
          continue;
        }
        int end = i + 1;
        while (end < p.length() && ".!?".indexOf(p.charAt(end)) >= 0) {
          end++;
        }
        while (end < p.length() && ")]\"'\u201d\u2019".indexOf(p.charAt(end)) >= 0) {
          end++;
        }
        if (end >= p.length() || p.charAt(end) != ' ') {
          i = end - 1;
          continue;
        }
        char next = end + 1 < p.length() ? p.charAt(end + 1) : 'A';
        if (Character.isLowerCase(next) || (c == '.' && isAbbreviation(p, start, i))) {
          i = end - 1;
          continue;
        }
        out.add(p.substring(start, end));
        start = end + 1;
        i = end;
      }
      if (start < p.length()) {
        out.add(p.substring(start));
      }
    }
    return out;
  }

  /** Whether the word ending at the period {@code dot} is an abbreviation or an initial. */
  private static boolean isAbbreviation(String p, int sentenceStart, int dot) {
    int w = dot;
    while (w > sentenceStart && !Character.isWhitespace(p.charAt(w - 1))) {
      w--;
    }
    String word = p.substring(w, dot).toLowerCase(java.util.Locale.ROOT);
    while (!word.isEmpty() && "([\"'".indexOf(word.charAt(0)) >= 0) {
      word = word.substring(1);
    }
    return ABBREVIATIONS.contains(word)
        || (word.length() == 1 && Character.isLetter(word.charAt(0)));
  }

  /** Pieces of at most {@code max} characters, cut at whitespace where possible. */
  static List<String> cut(String s, int max) {
    List<String> out = new ArrayList<>();
    String rest = s;
    while (rest.length() > max) {
      int at = rest.lastIndexOf(' ', max);
      int next;
      if (at > 0) {
        next = at + 1;
      } else {
        at = max;
        // Never split a surrogate pair: the piece would not be valid UTF-16.
        if (Character.isHighSurrogate(rest.charAt(at - 1))) {
          at--;
        }
        next = at;
      }
      out.add(rest.substring(0, at).strip());
      rest = rest.substring(next).strip();
    }
    if (!rest.isEmpty()) {
      out.add(rest);
    }
    return out;
  }
}
