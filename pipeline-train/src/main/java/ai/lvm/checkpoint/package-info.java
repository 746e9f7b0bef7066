/**
 * Training checkpoints under {@code <lvm.root>/runs/<run-id>/}: best and last, written data first
 * and record last on any Hadoop FileSystem, validated on load, enough to resume a run exactly.
 */
package ai.lvm.checkpoint;
