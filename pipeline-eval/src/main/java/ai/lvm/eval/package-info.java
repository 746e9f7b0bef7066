/**
 * Evaluation: scoring windows with a checkpoint, candidate banks and exact top-K, Hit@K with
 * confidence intervals and baselines, result tables. Depends on pipeline-train for model loading
 * and on pipeline-export for the contracts; nothing here reaches back up the flow.
 */
package ai.lvm.eval;
