/**
 * The training recipe: the reference loss, AdamW, clipping, the cosine schedule, validation Hit@K,
 * early stopping and the {@link ai.lvm.train.Trainer} loop that resumes exactly from checkpoints.
 */
package ai.lvm.train;
