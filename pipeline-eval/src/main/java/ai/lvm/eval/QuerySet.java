package ai.lvm.eval;

import java.io.Serializable;

/**
 * The queries of one row of {@code eval_results}: one scorer on one split of one context size.
 * Baselines do not depend on a run, so each (context size, split) has one set per baseline
 * (copy-last, mean-of-context, each mean-last-k), reported beside every run of that size.
 *
 * @param index position in the evaluation's list of sets (the {@link QueryKey#set})
 * @param run the run whose checkpoint scores, or null for a baseline
 * @param pool the candidates these queries are ranked against: {@code corpus}, or {@code
 *     split-targets/<C>/<split>}
 */
record QuerySet(
    int index, EvaluatedRun run, Scorer scorer, int contextSize, String split, String pool)
    implements Serializable {}
