package ai.lvm.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Light markup removal for text documents, so that the encoder sees prose: pure, line-based and
 * deliberately simple (not a reStructuredText or Markdown parser). What goes, per kind:
 *
 * <ul>
 *   <li>reStructuredText ({@code .rst}, {@code .rst.txt}): directive lines ({@code .. name::},
 *       comments, targets, substitutions) with their indented bodies, except the bodies of
 *       admonitions ({@code note}, {@code warning}, ...), which are prose; literal blocks after
 *       {@code ::}; grid and simple tables; heading under- and overlines; inline roles, literals,
 *       emphasis and reference targets (their text is kept).
 *   <li>Markdown ({@code .md}): fenced code blocks, heading {@code #} marks (the heading text is
 *       kept as its own paragraph), table rows, inline code marks, link and image targets, emphasis
 *       marks, HTML tags.
 *   <li>plain text ({@code .txt}): nothing.
 * </ul>
 *
 * Removed blocks leave a blank line, so the text around them does not run together into one
 * sentence.
 */
public final class Markup {
  /** The kinds of text file ingest reads, chosen by file name. */
  public enum Kind {
    PLAIN,
    RST,
    MARKDOWN
  }

  private static final Set<String> ADMONITIONS =
      Set.of(
          "note",
          "warning",
          "tip",
          "important",
          "attention",
          "caution",
          "danger",
          "error",
          "hint",
          "seealso",
          "admonition",
          "topic",
          "sidebar");
  private static final Pattern DIRECTIVE = Pattern.compile("^(\\s*)\\.\\.(\\s.*)?$");
  private static final Pattern DIRECTIVE_NAME = Pattern.compile("^\\s*\\.\\.\\s+([A-Za-z-]+)::.*");
  private static final Pattern ADORNMENT = Pattern.compile("^([=\\-`:'\"~^_*+#<>.])\\1{2,}\\s*$");
  private static final Pattern GRID_BORDER = Pattern.compile("^\\s*\\+[-=+]+\\+\\s*$");
  private static final Pattern SIMPLE_BORDER = Pattern.compile("^\\s*=+(\\s+=+)+\\s*$");
  private static final Pattern RST_ROLE = Pattern.compile(":[A-Za-z0-9_.:+-]+:`([^`]*)`");
  private static final Pattern RST_REF = Pattern.compile("`([^`<]*?)\\s*(<[^>]*>)?`__?");
  private static final Pattern RST_LITERAL = Pattern.compile("``([^`]*)``");
  private static final Pattern RST_STRONG = Pattern.compile("\\*\\*([^*]+)\\*\\*");

  /** {@code *text*} in both syntaxes; not {@code a * b} and not inside words. */
  private static final Pattern RST_EMPHASIS = Pattern.compile("(?<![\\w*])\\*([^*\\s][^*]*)\\*");

  private static final Pattern RST_TARGET_REF = Pattern.compile("\\b(\\w+)_\\b");
  private static final Pattern MD_FENCE = Pattern.compile("^\\s*(```|~~~).*$");
  private static final Pattern MD_HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern MD_IMAGE = Pattern.compile("!\\[([^\\]]*)\\]\\([^)]*\\)");
  private static final Pattern MD_LINK = Pattern.compile("\\[([^\\]]+)\\]\\([^)]*\\)");
  private static final Pattern MD_CODE = Pattern.compile("`([^`]*)`");
  private static final Pattern MD_EMPHASIS = Pattern.compile("(\\*\\*|__)(.+?)\\1");
  private static final Pattern HTML_TAG = Pattern.compile("</?[A-Za-z][^>]*>");

  private Markup() {}

  /** The kind of a file by its name, or null when ingest does not read such files. */
  public static Kind kindOf(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.endsWith(".rst") || n.endsWith(".rst.txt")) {
      return Kind.RST;
    }
    if (n.endsWith(".md") || n.endsWith(".markdown")) {
      return Kind.MARKDOWN;
    }
    if (n.endsWith(".txt")) {
      return Kind.PLAIN;
    }
    return null;
  }

  public static String strip(String text, Kind kind) {
    String normalized = text.replace("\r\n", "\n").replace('\r', '\n');
    return switch (kind) {
      case PLAIN -> normalized;
      case RST -> rst(normalized);
      case MARKDOWN -> markdown(normalized);
    };
  }

  private static String rst(String text) {
    String[] lines = text.split("\n", -1);
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      String line = lines[i];
      var directive = DIRECTIVE.matcher(line);
      if (directive.matches()) {
        int indent = directive.group(1).length();
        var name = DIRECTIVE_NAME.matcher(line);
        boolean keepBody =
            name.matches() && ADMONITIONS.contains(name.group(1).toLowerCase(Locale.ROOT));
        if (keepBody) {
          // The admonition's own line may carry prose after "::" (".. note:: Text").
          String rest = line.substring(line.indexOf("::") + 2).strip();
          out.add("");
          if (!rest.isEmpty()) {
            out.add(rest);
          }
          i++;
          continue;
        }
        i = skipIndentedBlock(lines, i + 1, indent);
        out.add("");
        continue;
      }
      if (GRID_BORDER.matcher(line).matches() || SIMPLE_BORDER.matcher(line).matches()) {
        i = skipTable(lines, i);
        out.add("");
        continue;
      }
      if (ADORNMENT.matcher(line).matches()) {
        out.add("");
        i++;
        continue;
      }
      String stripped = line.stripTrailing();
      if (stripped.endsWith("::")) {
        // "Text::" keeps one colon, a bare "::" goes; the indented block after it is code.
        String kept = stripped.substring(0, stripped.length() - 2).stripTrailing();
        if (!kept.isBlank()) {
          out.add(inlineRst(kept.endsWith(" ") || kept.isEmpty() ? kept : kept + ":"));
        }
        int indent = indentOf(line);
        int j = i + 1;
        while (j < lines.length && lines[j].isBlank()) {
          j++;
        }
        i =
            j < lines.length && indentOf(lines[j]) > indent
                ? skipIndentedBlock(lines, j, indent)
                : j;
        out.add("");
        continue;
      }
      out.add(inlineRst(line));
      i++;
    }
    return String.join("\n", out);
  }

  /** The index after a block of blank lines and lines indented deeper than {@code indent}. */
  private static int skipIndentedBlock(String[] lines, int from, int indent) {
    int j = from;
    int lastContent = from;
    while (j < lines.length && (lines[j].isBlank() || indentOf(lines[j]) > indent)) {
      if (!lines[j].isBlank()) {
        lastContent = j + 1;
      }
      j++;
    }
    // Leave trailing blank lines in place: they separate what follows.
    return Math.max(lastContent, from);
  }

  /**
   * The index after a table. A grid table ends at the first blank line; a simple table at the first
   * blank line after a border other than its first (rows may contain blank lines).
   */
  private static int skipTable(String[] lines, int from) {
    boolean simple = SIMPLE_BORDER.matcher(lines[from]).matches();
    int j = from + 1;
    while (j < lines.length) {
      if (lines[j].isBlank()
          && (!simple || (j - 1 > from && SIMPLE_BORDER.matcher(lines[j - 1]).matches()))) {
        return j;
      }
      j++;
    }
    return j;
  }

  private static int indentOf(String line) {
    int n = 0;
    while (n < line.length() && (line.charAt(n) == ' ' || line.charAt(n) == '\t')) {
      n++;
    }
    return n;
  }

  private static String inlineRst(String line) {
    String s = RST_ROLE.matcher(line).replaceAll(m -> quote(roleText(m.group(1))));
    s = RST_LITERAL.matcher(s).replaceAll(m -> quote(m.group(1)));
    s = RST_REF.matcher(s).replaceAll(m -> quote(m.group(1)));
    s = RST_STRONG.matcher(s).replaceAll(m -> quote(m.group(1)));
    s = RST_EMPHASIS.matcher(s).replaceAll(m -> quote(m.group(1)));
    s = RST_TARGET_REF.matcher(s).replaceAll(m -> quote(m.group(1)));
    if (s.stripLeading().startsWith("| ")) {
      s = s.replaceFirst("\\|\\s", ""); // line blocks: the text stays
    }
    return s;
  }

  /** The visible text of a role: "title <target>" shows the title, "~a.b.c" shows "c". */
  private static String roleText(String content) {
    String c = content.strip();
    int lt = c.lastIndexOf('<');
    if (lt > 0 && c.endsWith(">")) {
      return c.substring(0, lt).strip();
    }
    if (c.startsWith("~")) {
      return c.substring(c.lastIndexOf('.') + 1);
    }
    return c;
  }

  private static String markdown(String text) {
    String[] lines = text.split("\n", -1);
    List<String> out = new ArrayList<>();
    boolean inFence = false;
    for (String line : lines) {
      if (MD_FENCE.matcher(line).matches()) {
        inFence = !inFence;
        out.add("");
        continue;
      }
      if (inFence) {
        continue;
      }
      var heading = MD_HEADING.matcher(line);
      if (heading.matches()) {
        out.add("");
        out.add(inlineMarkdown(heading.group(1)));
        out.add("");
        continue;
      }
      String t = line.strip();
      if (t.startsWith("|") || t.matches("^[-=]{3,}$") || t.matches("^[-:| ]+\\|[-:| ]*$")) {
        out.add(""); // table rows, setext underlines, rules
        continue;
      }
      out.add(inlineMarkdown(line));
    }
    return String.join("\n", out);
  }

  private static String inlineMarkdown(String line) {
    String s = MD_IMAGE.matcher(line).replaceAll(m -> quote(m.group(1)));
    s = MD_LINK.matcher(s).replaceAll(m -> quote(m.group(1)));
    s = MD_CODE.matcher(s).replaceAll(m -> quote(m.group(1)));
    s = MD_EMPHASIS.matcher(s).replaceAll(m -> quote(m.group(2)));
    s = RST_EMPHASIS.matcher(s).replaceAll(m -> quote(m.group(1)));
    return HTML_TAG.matcher(s).replaceAll("");
  }

  private static String quote(String s) {
    return java.util.regex.Matcher.quoteReplacement(s);
  }
}
