/**
 * The latent vector models: {@link ai.lvm.model.LatentVectorModel} (a window of context vectors in,
 * a unit prediction of the next one out) and its implementations, built from a {@link
 * ai.lvm.model.ModelSpec} by {@link ai.lvm.model.Models}. Forward and backward passes are written
 * by hand on ND4J arrays and held to finite differences by the tests; the recurrences' float32 CPU
 * path runs in plain Java ({@link ai.lvm.model.JavaGates}, {@link ai.lvm.model.JavaLstm}, {@link
 * ai.lvm.model.VectorGemm}) and is held equal to the ND4J-op path. {@link ai.lvm.model.Baselines}
 * holds the no-training predictions every model is measured against.
 */
package ai.lvm.model;
