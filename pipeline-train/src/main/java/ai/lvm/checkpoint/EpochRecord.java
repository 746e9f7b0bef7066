package ai.lvm.checkpoint;

/**
 * One epoch of training history, as stored in checkpoints and reported in {@code training_history}.
 * Validation fields are null for epochs that were not evaluated.
 *
 * @param epoch 1-based epoch
 * @param step optimizer steps taken by the end of the epoch
 * @param windows training windows seen in the epoch
 * @param loss mean training loss per window
 * @param mse mean training MSE term
 * @param cosine mean training cosine
 * @param infonce mean training InfoNCE term
 * @param gradNorm mean pre-clip global gradient norm over the epoch's steps
 * @param learningRate the epoch's learning rate
 * @param valLoss mean validation loss per window (micro-batches as in training)
 * @param valCosine mean validation cosine
 * @param valHit1 validation Hit@1
 * @param valHit5 validation Hit@5
 * @param valHit10 validation Hit@10
 * @param valPool candidates in the validation pool
 * @param seconds wall time of the epoch including validation
 * @param valBaseline the best no-training baseline on the same validation windows and bank (e.g.
 *     {@code mean-last-3}), null where none was measured
 * @param valBaselineHit5 its Hit@5
 * @param temperature the InfoNCE temperature at the epoch's end: the recipe's, or where the recipe
 *     learns it ({@code learn-temperature}) the value reached; null in records written before it
 *     was kept
 */
public record EpochRecord(
    int epoch,
    long step,
    long windows,
    double loss,
    double mse,
    double cosine,
    double infonce,
    double gradNorm,
    double learningRate,
    Double valLoss,
    Double valCosine,
    Double valHit1,
    Double valHit5,
    Double valHit10,
    Integer valPool,
    double seconds,
    String valBaseline,
    Double valBaselineHit5,
    Double temperature)
    implements java.io.Serializable {

  /** A record without a baseline (as written before baselines were measured in training). */
  public EpochRecord(
      int epoch,
      long step,
      long windows,
      double loss,
      double mse,
      double cosine,
      double infonce,
      double gradNorm,
      double learningRate,
      Double valLoss,
      Double valCosine,
      Double valHit1,
      Double valHit5,
      Double valHit10,
      Integer valPool,
      double seconds) {
    this(
        epoch,
        step,
        windows,
        loss,
        mse,
        cosine,
        infonce,
        gradNorm,
        learningRate,
        valLoss,
        valCosine,
        valHit1,
        valHit5,
        valHit10,
        valPool,
        seconds,
        null,
        null,
        null);
  }
}
