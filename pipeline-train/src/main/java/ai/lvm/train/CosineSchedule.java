package ai.lvm.train;

/**
 * The learning rate per epoch of PyTorch's {@code CosineAnnealingLR} stepped once per epoch, in its
 * closed form {@code eta_min + (base - eta_min) (1 + cos(pi t / T_max)) / 2} (periodic beyond
 * T_max, as PyTorch's recursive form is).
 *
 * <p>{@code t} for 1-based epoch {@code e} is {@code max(0, e - startEpoch)}. With {@code
 * startEpoch = 1} this is the usual PyTorch loop ({@code scheduler.step()} at the end of every
 * epoch: epoch 1 at the base rate, epoch 2 one step down). The reference only began stepping from
 * epoch 2, so epochs 1 and 2 both ran at the base rate: {@code startEpoch = 2}. A pure function of
 * the epoch, so resuming needs no scheduler state.
 */
public record CosineSchedule(double baseLr, int tMax, double etaMin, int startEpoch) {

  public CosineSchedule {
    if (!(baseLr > 0) || tMax < 1 || !(etaMin >= 0) || startEpoch < 1) {
      throw new IllegalArgumentException(
          "cosine schedule needs base lr > 0, T_max >= 1, eta_min >= 0, start epoch >= 1; got "
              + baseLr
              + ", "
              + tMax
              + ", "
              + etaMin
              + ", "
              + startEpoch);
    }
  }

  /** The learning rate of 1-based epoch {@code epoch}. */
  public double lr(int epoch) {
    int t = Math.max(0, epoch - startEpoch);
    return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
  }
}
