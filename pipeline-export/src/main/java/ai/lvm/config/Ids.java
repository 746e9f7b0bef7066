package ai.lvm.config;

/**
 * The one rule for the ids a user or a sweep chooses (corpus, snapshot, evaluation and run ids, a
 * sweep's run name): each names a directory and, for snapshots and evaluations, a Hive partition
 * value, on every file system and object store. Letters, digits, '.', '_' and '-', starting with a
 * letter or digit (a leading '_' or '.' would hide it from Spark and Hadoop listings), at most 255
 * characters (a file name's limit on common file systems).
 */
public final class Ids {
  /** The rule as a regular expression. */
  public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,254}";

  /** The rule in words, for error messages. */
  public static final String RULE =
      "letters, digits, '.', '_' or '-', starting with a letter or digit, at most 255 characters";

  private Ids() {}

  public static boolean valid(String id) {
    return id != null && id.matches(PATTERN);
  }

  /**
   * {@code id} if it is valid; otherwise an {@link InvalidInputException} naming {@code key}, the
   * value, the rule and what the id names ({@code names}, e.g. "it names a directory").
   */
  public static String require(String key, String id, String names) {
    if (!valid(id)) {
      throw LvmConfig.invalid(key, id, RULE + "; " + names);
    }
    return id;
  }
}
