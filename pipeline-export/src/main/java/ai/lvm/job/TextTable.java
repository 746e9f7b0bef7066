package ai.lvm.job;

import java.util.ArrayList;
import java.util.List;

/**
 * The one way a command prints a table on the console: each column as wide as its widest cell,
 * left-aligned text, right-aligned numbers in the {@link #of console} style, so a reader can scan
 * down a column. Two styles: {@link #of} (columns two spaces apart under a dashed rule: the
 * training summary, {@code bin/lvm runs}, the evaluation summary) and {@link #sql} (psql's {@code a
 * | b} under {@code --+--}, cells cut at 60 characters with {@code ~}: {@code bin/lvm sql}).
 */
public final class TextTable {
  private final List<String> headers = new ArrayList<>();
  private final boolean[] right;
  private final String gap;
  private final String joint;
  private final int maxWidth;
  private final List<List<String>> rows = new ArrayList<>();

  private TextTable(String[] headers, String gap, String joint, int maxWidth) {
    this.right = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      right[i] = headers[i].startsWith(">");
      this.headers.add(right[i] ? headers[i].substring(1) : headers[i]);
    }
    this.gap = gap;
    this.joint = joint;
    this.maxWidth = maxWidth;
  }

  /** Columns by header; a header starting with {@code >} is right-aligned (the mark is dropped). */
  public static TextTable of(String... headers) {
    return new TextTable(headers, "  ", "--", Integer.MAX_VALUE);
  }

  /** A query result as SQL clients print one: {@code a | b}, cells cut at 60 characters. */
  public static TextTable sql(List<String> headers) {
    return new TextTable(headers.toArray(new String[0]), " | ", "-+-", 60);
  }

  /** Adds a row of exactly one cell per column; null cells print as {@code -}. */
  public TextTable row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "expected " + headers.size() + " cells, got " + cells.length);
    }
    List<String> row = new ArrayList<>(cells.length);
    for (String c : cells) {
      String cell = c == null ? "-" : c;
      row.add(cell.length() > maxWidth ? cell.substring(0, maxWidth - 1) + "~" : cell);
    }
    rows.add(row);
    return this;
  }

  /**
   * The header, a rule, and the rows, each line after {@code indent}, ending in a newline and
   * without trailing blanks.
   */
  public String render(String indent) {
    int[] widths = new int[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = Math.min(maxWidth, headers.get(c).length());
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, indent, headers, widths);
    StringBuilder rule = new StringBuilder(indent);
    for (int c = 0; c < widths.length; c++) {
      rule.append(c == 0 ? "" : joint).append("-".repeat(widths[c]));
    }
    out.append(rule).append('\n');
    for (List<String> row : rows) {
      line(out, indent, row, widths);
    }
    return out.toString();
  }

  private void line(StringBuilder out, String indent, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder(indent);
    for (int c = 0; c < widths.length; c++) {
      if (c > 0) {
        line.append(gap);
      }
      String cell = cells.get(c);
      String pad = " ".repeat(Math.max(0, widths[c] - cell.length()));
      line.append(right[c] ? pad + cell : cell + pad);
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }
}
