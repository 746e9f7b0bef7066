/**
 * The contract between training and evaluation: a run's checkpoints under {@code
 * <lvm.root>/runs/<run-id>/} (best and last, written data first and record last on any Hadoop
 * FileSystem, validated on load, enough to resume a run exactly and to rebuild its model from the
 * record's typed {@link ai.lvm.model.ModelSpec} and context size) and its status ({@code
 * status.json}: {@link ai.lvm.checkpoint.TrainingResult} with its {@link
 * ai.lvm.checkpoint.RunStatus}). Evaluation reads runs through this package and the model factory
 * only, never through training's internals.
 */
package ai.lvm.checkpoint;
