package ai.lvm.export;

import ai.lvm.config.Ids;
import ai.lvm.config.LvmConfig;
import ai.lvm.format.Protocol;
import ai.lvm.format.Split;
import ai.lvm.window.ArticleSplit;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The validated {@code lvm.export} configuration (keys and defaults: the module's reference.conf).
 *
 * @param fixedStride the stride, or empty for "half" (C/2)
 * @param evalStride the stride of the article protocol's val and test windows
 * @param resolved the resolved {@code lvm.export} subtree, recorded in the manifest
 */
public record ExportConfig(
    String root,
    String corpus,
    List<Integer> contextSizes,
    OptionalInt fixedStride,
    EvalStride evalStride,
    Protocol protocol,
    ArticleSplit split,
    long seed,
    OptionalDouble minCoherence,
    long minTrainSequences,
    OnInsufficient onInsufficient,
    OnBadRows onBadRows,
    String snapshotId,
    double blockMb,
    Compression compression,
    Map<String, Object> resolved) {

  /** What an insufficient context size does to the job. */
  public enum OnInsufficient {
    SKIP,
    FAIL
  }

  /** What rows that break the corpus contract do to the job. */
  public enum OnBadRows {
    FAIL,
    DROP
  }

  /** Parquet codecs offered for window files. */
  public enum Compression {
    NONE,
    SNAPPY,
    ZSTD,
    LZ4
  }

  /**
   * {@code lvm.export.eval-stride}: the stride of the validation and test windows of the article
   * protocol. Smaller than training's, it cuts more evaluation windows from the same held-out
   * documents (each a distinct target), so evaluation intervals narrow while training's windows
   * stay as they are. The seed protocol ignores it: its splits are windows of one stream, cut at
   * one stride.
   *
   * @param rule {@code same} (the training stride), {@code half} (C/2), {@code tenth} (C/10) or
   *     {@code fixed}
   * @param fixed the stride of {@code fixed}, else 0
   */
  public record EvalStride(Rule rule, int fixed) {
    /** How the eval stride follows from C and the training stride. */
    public enum Rule {
      SAME,
      HALF,
      TENTH,
      FIXED
    }

    /** The eval stride at context size {@code c}, given that size's training stride. */
    public int at(int c, int trainingStride) {
      return switch (rule) {
        case SAME -> trainingStride;
        case HALF -> Math.max(1, c / 2);
        case TENTH -> Math.max(1, c / 10);
        case FIXED -> fixed;
      };
    }
  }

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  public static ExportConfig from(LvmConfig c) {
    String root = c.requiredString("lvm.root", "set the output root, e.g. --set lvm.root=data");
    String corpus =
        c.requiredString(
            "lvm.export.corpus",
            "name the input Parquet corpus, e.g. --set lvm.export.corpus=data/corpus/generated");
    List<Integer> sizes = c.intList("lvm.export.context-sizes", 1, 1_000_000);
    return new ExportConfig(
        root,
        corpus,
        sizes,
        stride(c),
        evalStride(c),
        c.choice("lvm.export.protocol", Protocol.class),
        split(c),
        c.longInRange("lvm.export.seed", Long.MIN_VALUE, Long.MAX_VALUE),
        c.optionalDouble("lvm.export.min-coherence", -1.0, 1.0),
        c.longInRange("lvm.export.min-train-sequences", 0, Long.MAX_VALUE),
        c.choice("lvm.export.on-insufficient", OnInsufficient.class),
        c.choice("lvm.export.on-bad-rows", OnBadRows.class),
        snapshotId(c),
        c.doubleInRange("lvm.export.block-mb", 1e-6, 4096),
        c.choice("lvm.export.compression", Compression.class),
        c.subtree("lvm.export"));
  }

  /** The stride for context size {@code c}. */
  public int strideFor(int c) {
    return fixedStride.orElse(Math.max(1, c / 2));
  }

  /**
   * The stride of context size {@code c}'s windows in {@code split}: the eval stride for the
   * article protocol's val and test, the training stride otherwise (the seed protocol cuts one
   * stream at one stride).
   */
  public int strideFor(int c, Split split) {
    int training = strideFor(c);
    if (protocol == Protocol.SEED || split == Split.TRAIN) {
      return training;
    }
    return evalStride.at(c, training);
  }

  private static EvalStride evalStride(LvmConfig c) {
    String key = "lvm.export.eval-stride";
    String raw = c.render(key).replace("\"", "");
    switch (raw) {
      case "same":
        return new EvalStride(EvalStride.Rule.SAME, 0);
      case "half":
        return new EvalStride(EvalStride.Rule.HALF, 0);
      case "tenth":
        return new EvalStride(EvalStride.Rule.TENTH, 0);
      default:
        break;
    }
    try {
      long v = Long.parseLong(raw);
      if (v >= 1 && v <= Integer.MAX_VALUE) {
        return new EvalStride(EvalStride.Rule.FIXED, (int) v);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw LvmConfig.invalid(
        key,
        raw,
        "\"tenth\" (C/10, the default), \"half\" (C/2), \"same\" (lvm.export.stride) or a"
            + " positive integer; e.g. --set lvm.export.eval-stride=tenth");
  }

  private static OptionalInt stride(LvmConfig c) {
    String key = "lvm.export.stride";
    String raw = c.render(key).replace("\"", "");
    if (raw.equals("half")) {
      return OptionalInt.empty();
    }
    try {
      long v = Long.parseLong(raw);
      if (v >= 1 && v <= Integer.MAX_VALUE) {
        return OptionalInt.of((int) v);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw LvmConfig.invalid(key, raw, "\"half\" or a positive integer");
  }

  private static ArticleSplit split(LvmConfig c) {
    String key = "lvm.export.split";
    Map<String, Double> f = c.doubleMap(key);
    if (!f.keySet().equals(java.util.Set.of("train", "val", "test"))) {
      throw LvmConfig.invalid(key, c.render(key), "exactly the keys train, val and test");
    }
    double train = f.get("train");
    double val = f.get("val");
    double test = f.get("test");
    if (!(train > 0 && train <= 1)
        || val < 0
        || test < 0
        || Math.abs(train + val + test - 1) > 1e-6) {
      throw LvmConfig.invalid(
          key, c.render(key), "fractions with train > 0, val >= 0, test >= 0 that sum to 1");
    }
    // Normalise away the rounding a user may have typed (0.33 + 0.33 + 0.34).
    double sum = train + val + test;
    return new ArticleSplit(train / sum, val / sum, 1 - train / sum - val / sum);
  }

  private static String snapshotId(LvmConfig c) {
    String key = "lvm.export.snapshot-id";
    String id =
        c.optionalString(key).orElseGet(() -> ZonedDateTime.now(ZoneOffset.UTC).format(ID_TIME));
    return Ids.require(key, id, "it names a directory");
  }
}
