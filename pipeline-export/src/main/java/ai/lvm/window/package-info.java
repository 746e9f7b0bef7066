/**
 * Pure window maths, testable without Spark: window counts and blocks, the article and seed splits,
 * the seeded permutation, vector helpers and the synthetic walk generator.
 */
package ai.lvm.window;
