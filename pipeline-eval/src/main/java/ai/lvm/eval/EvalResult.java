package ai.lvm.eval;

import ai.lvm.metrics.Interval;
import ai.lvm.metrics.PairedDifference;
import java.io.Serializable;

/**
 * One row of {@code eval_results}: how one scorer did on one split of one run's windows against one
 * candidate bank. Columns and their meaning: docs/results-tables.md.
 *
 * @param runId the training run whose windows (context size, snapshot) were scored
 * @param model the run's model type
 * @param scorer {@link Scorer#MODEL} (the run's checkpoint) or a baseline on the same windows
 * @param contextSize C
 * @param split {@code val} or {@code test}
 * @param bank {@code corpus} or {@code split-targets}
 * @param lane the target lane of this breakdown, or null for all windows
 * @param windows windows scored
 * @param bankSize vectors in the bank
 * @param candidates mean candidates per query: the true target plus every bank vector not excluded
 * @param hit1 Hit@1 with its 95% Wilson interval (likewise {@code hit5}, {@code hit10})
 * @param mrr mean reciprocal rank with its 95% interval
 * @param meanCosine mean cosine of prediction and true target with its 95% interval
 * @param chance1 Hit@1 of a scorer that ranks at random: mean of min(1, k / candidates)
 * @param hit5Gain a model row's Hit@5 against its {@link BestBaseline} on the same windows, paired
 *     window by window; null on baseline rows and where no baseline could be ranked
 * @param hit5ByDocument Hit@5 with its 95% interval by target document ({@link
 *     Interval#byDocument}); null below two target documents
 */
public record EvalResult(
    String runId,
    String model,
    Scorer scorer,
    int contextSize,
    String split,
    String bank,
    Integer lane,
    long windows,
    long bankSize,
    double candidates,
    Interval hit1,
    Interval hit5,
    Interval hit10,
    Interval mrr,
    Interval meanCosine,
    double chance1,
    double chance5,
    double chance10,
    PairedDifference hit5Gain,
    Interval hit5ByDocument)
    implements Serializable {

  /** This row with its paired comparison against the best baseline. */
  public EvalResult withHit5Gain(PairedDifference gain) {
    return with(gain, hit5ByDocument);
  }

  /** This row with its Hit@5 interval by target document. */
  public EvalResult withHit5ByDocument(Interval byDocument) {
    return with(hit5Gain, byDocument);
  }

  private EvalResult with(PairedDifference gain, Interval byDocument) {
    return new EvalResult(
        runId,
        model,
        scorer,
        contextSize,
        split,
        bank,
        lane,
        windows,
        bankSize,
        candidates,
        hit1,
        hit5,
        hit10,
        mrr,
        meanCosine,
        chance1,
        chance5,
        chance10,
        gain,
        byDocument);
  }
}
