package ai.lvm.eval;

import ai.lvm.model.Baselines;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What produced a prediction: the run's model, or a baseline computed from the same context.
 *
 * <p>A value, not an enum: mean-last-k and context-ar-L are one baseline per configured k or L
 * ({@code lvm.eval.mean-last-k}, {@code lvm.eval.context-ar}), so the set of scorers is only known
 * from the configuration. The natural order is the display order: the model first, then the
 * baselines from the simplest.
 *
 * @param kind which predictor
 * @param k the number of last context vectors a {@link Kind#MEAN_LAST} baseline averages or a
 *     {@link Kind#CONTEXT_AR} baseline regresses on; 0 for every other kind
 */
public record Scorer(Kind kind, int k) implements Comparable<Scorer>, Serializable {

  /** The predictors, in display order. */
  public enum Kind {
    /** The run's checkpoint. */
    MODEL,
    /** The last context vector: the next chunk resembles the previous one. */
    COPY_LAST,
    /** The normalised mean of the context vectors: the topic of the window. */
    MEAN_OF_CONTEXT,
    /**
     * The normalised mean of the last k context vectors: the recent topic, between copy-last (k =
     * 1) and mean-of-context (k = C). A k of C or more averages the whole context.
     */
    MEAN_LAST,
    /**
     * A linear autoregression over the last k context vectors, fitted by ridge regression to the
     * window's own consecutive pairs ({@link Baselines#contextAr}): no corpus, no training, but
     * weights of its own per window.
     */
    CONTEXT_AR;

    /** Whether this kind is one of a family, told apart by its k. */
    boolean hasK() {
      return this == MEAN_LAST || this == CONTEXT_AR;
    }
  }

  public static final Scorer MODEL = new Scorer(Kind.MODEL, 0);
  public static final Scorer COPY_LAST = new Scorer(Kind.COPY_LAST, 0);
  public static final Scorer MEAN_OF_CONTEXT = new Scorer(Kind.MEAN_OF_CONTEXT, 0);

  private static final Pattern WITH_K_ID =
      Pattern.compile("(mean-last|context-ar)-([1-9][0-9]{0,8})");

  public Scorer {
    if (kind == null) {
      throw new IllegalArgumentException("kind is null");
    }
    if (kind.hasK() ? k < 1 : k != 0) {
      throw new IllegalArgumentException(
          kind.hasK() ? id(kind) + "-k needs k >= 1, got " + k : kind + " takes no k");
    }
  }

  /** The mean-last-k baseline; named {@code mean-last-<k>} whatever the context size. */
  public static Scorer meanLast(int k) {
    return new Scorer(Kind.MEAN_LAST, k);
  }

  /**
   * The context autoregression over the last {@code lags} vectors; named {@code context-ar-<L>}.
   */
  public static Scorer contextAr(int lags) {
    return new Scorer(Kind.CONTEXT_AR, lags);
  }

  public boolean isModel() {
    return kind == Kind.MODEL;
  }

  /**
   * This baseline's unit predictions {@code [B, D]} for contexts {@code [B, C, D]}. copy-last (k =
   * 1), mean-of-context (k = C) and mean-last-k are {@link Baselines#meanLastK}, the function
   * training's validation and the {@code base} head use, so a model that has not moved from its
   * base scores exactly its baseline; context-ar-L is {@link Baselines#contextAr}.
   */
  public INDArray predict(INDArray contexts) {
    return switch (kind) {
      case COPY_LAST -> Baselines.meanLastK(contexts, 1);
      case MEAN_OF_CONTEXT -> Baselines.meanLastK(contexts, (int) contexts.size(1));
      case MEAN_LAST -> Baselines.meanLastK(contexts, k);
      case CONTEXT_AR -> Baselines.contextAr(contexts, k);
      case MODEL -> throw new IllegalArgumentException("the model is not a baseline");
    };
  }

  /** The stored spelling, e.g. {@code copy-last}, {@code mean-last-3}, {@code context-ar-5}. */
  @JsonValue
  public String id() {
    return kind.hasK() ? id(kind) + "-" + k : id(kind);
  }

  private static String id(Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Scorer fromId(String id) {
    for (Scorer s : new Scorer[] {MODEL, COPY_LAST, MEAN_OF_CONTEXT}) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    Matcher m = WITH_K_ID.matcher(id == null ? "" : id);
    if (m.matches()) {
      int k = Integer.parseInt(m.group(2));
      return m.group(1).equals("mean-last") ? meanLast(k) : contextAr(k);
    }
    throw new IllegalArgumentException("unknown scorer '" + id + "'");
  }

  @Override
  public int compareTo(Scorer o) {
    int byKind = kind.compareTo(o.kind);
    return byKind != 0 ? byKind : Integer.compare(k, o.k);
  }

  /** The id: what tables, messages and assertion failures show. */
  @Override
  public String toString() {
    return id();
  }
}
