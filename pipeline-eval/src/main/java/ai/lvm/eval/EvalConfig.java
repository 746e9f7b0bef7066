package ai.lvm.eval;

import ai.lvm.config.Ids;
import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.format.Split;
import java.io.Serializable;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The validated {@code lvm.eval} configuration (keys and defaults: pipeline-eval's reference.conf).
 *
 * @param snapshot the snapshot id, or null for the newest published
 * @param runs run ids to evaluate, or null for every finished run of the snapshot
 * @param id the evaluation id: its partition of the result tables and its report directory
 * @param checkpoint {@code best} or {@code last}
 * @param latencySamples single-window timings per run; 0 skips the latency measurement
 * @param database the Spark catalog database to register the tables in, or null for none
 * @param meanLastK the k of each mean-last-k baseline, ascending; empty for none
 * @param contextArLags the L of each context-ar-L baseline, ascending; empty for none
 */
public record EvalConfig(
    String root,
    String snapshot,
    List<String> runs,
    List<Split> splits,
    Bank bank,
    String id,
    boolean excludeContext,
    String checkpoint,
    int batchSize,
    int queryBlock,
    int bankBlock,
    int latencyWarmup,
    int latencySamples,
    int latencyBatch,
    boolean report,
    String database,
    List<Integer> meanLastK,
    List<Integer> contextArLags)
    implements Serializable {

  /** The Ks of Hit@K; also the neighbours kept per window. */
  public static final int MAX_K = 10;

  private static final DateTimeFormatter ID_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private static String checkpoint(LvmConfig c, String key) {
    String slot = c.string(key);
    if (!slot.equals("best") && !slot.equals("last")) {
      throw LvmConfig.invalid(key, slot, "best (highest validation Hit@5) or last");
    }
    return slot;
  }

  /** The largest k of a mean-last-k baseline: far beyond any context size that trains. */
  static final int MAX_MEAN_LAST_K = 100_000;

  /** The most lags of a context-ar baseline: each adds a dot product per context position. */
  static final int MAX_CONTEXT_AR_LAGS = 64;

  /**
   * The k list of a baseline family (mean-last-k, context-ar-L): distinct, at least 2 (k = 1 is
   * copy-last, which is reported anyway), in ascending order so the baselines read from the most
   * recent outward. {@code []} or null turns them off. A k of C or more is not refused: one list
   * serves every context size, and the baseline caps it there (docs of {@code Baselines}).
   */
  private static List<Integer> kList(LvmConfig c, String key, int max, String example) {
    // LvmConfig.intList refuses an empty list; here it means "none of this baseline".
    if (!c.isSet(key) || c.render(key).equals("[]")) {
      return List.of();
    }
    try {
      return c.intList(key, 2, max).stream().sorted().toList();
    } catch (InvalidInputException e) {
      throw LvmConfig.invalid(
          key,
          c.render(key),
          "a list of distinct integers in [2, "
              + max
              + "], e.g. "
              + example
              + ", or [] for none; 1 would be copy-last, which is reported anyway");
    }
  }

  public static EvalConfig from(LvmConfig c) {
    String p = "lvm.eval.";
    List<String> splitIds = c.wordList(p + "splits", List.of("train", "val", "test"));
    String id = c.optionalString(p + "id").orElse(ID_FORMAT.format(ZonedDateTime.now()));
    Ids.require(p + "id", id, "it names a directory and a partition");
    String database = c.optionalString(p + "database").orElse(null);
    if (database != null && !database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw LvmConfig.invalid(p + "database", database, "a SQL identifier, e.g. lvm");
    }
    return new EvalConfig(
        c.requiredString("lvm.root", "set the output root, e.g. --set lvm.root=data"),
        c.optionalString(p + "snapshot").orElse(null),
        c.isSet(p + "runs") ? c.stringList(p + "runs") : null,
        splitIds.stream().map(Split::fromId).toList(),
        c.choice(p + "bank", Bank.class),
        id,
        c.bool(p + "exclude-context"),
        checkpoint(c, p + "checkpoint"),
        c.intInRange(p + "batch-size", 1, 65_536),
        c.intInRange(p + "query-block", 1, 65_536),
        c.intInRange(p + "bank-block", MAX_K, 10_000_000),
        c.intInRange(p + "latency.warmup", 0, 10_000),
        c.intInRange(p + "latency.samples", 0, 1_000_000),
        c.intInRange(p + "latency.batch-size", 1, 65_536),
        c.bool(p + "report"),
        database,
        kList(c, p + "mean-last-k", MAX_MEAN_LAST_K, "[3, 5]"),
        kList(c, p + "context-ar", MAX_CONTEXT_AR_LAGS, "[5]"));
  }
}
