package ai.lvm.eval.report;

/** HTML escaping: every string that comes from data goes through here before it reaches a page. */
final class Html {
  private Html() {}

  /**
   * The text safe in element content and in double- or single-quoted attributes: a run id is
   * whatever the job was configured with, and must never become markup.
   */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
