/**
 * Ranking maths shared by training's validation and the evaluation job, as pure functions testable
 * without Spark: the rank of the true target among a candidate bank, Hit@K, MRR and mean cosine
 * with 95% confidence intervals, chance level. Spark code only moves data to these.
 */
package ai.lvm.metrics;
