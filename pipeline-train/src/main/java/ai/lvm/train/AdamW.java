package ai.lvm.train;

import ai.lvm.model.NativeFloats;
import ai.lvm.model.Parameters;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * AdamW exactly as {@code torch.optim.AdamW} (amsgrad off): decoupled weight decay {@code p -= lr
 * wd p} first, then Adam with bias correction, {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1
 * - b2^t) + eps)}. Betas 0.9 / 0.999, eps 1e-8, the reference values.
 *
 * <p>State (first and second moments and a step count) is kept per parameter name, so a checkpoint
 * can save it and a resumed run continues with the very same optimizer, which the reference's
 * checkpoints could not.
 */
public final class AdamW {
  public static final double BETA1 = 0.9;
  public static final double BETA2 = 0.999;
  public static final double EPS = 1e-8;

  /** Host memory readable from Java: ND4J's CPU backend (see {@link #fusedStep}). */
  private static final boolean FUSED = Nd4j.getBackend().getClass().getName().contains(".cpu.");

  private final double weightDecay;
  private final Map<String, INDArray> m = new LinkedHashMap<>();
  private final Map<String, INDArray> v = new LinkedHashMap<>();
  private final Map<String, Long> steps = new LinkedHashMap<>();

  public AdamW(double weightDecay) {
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    this.weightDecay = weightDecay;
  }

  /** One update of every parameter from its accumulated gradient, at learning rate {@code lr}. */
  public void step(Parameters parameters, double lr) {
    step(parameters, lr, weightDecay);
  }

  /**
   * The same with another weight decay, for parameters that must not decay (a learned temperature:
   * decay would pull log tau towards 0, i.e. tau towards 1). Their state lives in this optimizer
   * beside the model's, by their own names, so one {@link #state()} checkpoints both.
   */
  public void step(Parameters parameters, double lr, double weightDecay) {
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    for (Map.Entry<String, INDArray> e : parameters.values().entrySet()) {
      String name = e.getKey();
      INDArray p = e.getValue();
      INDArray g = parameters.gradient(name);
      INDArray mt = m.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
      INDArray vt = v.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
      long t = steps.merge(name, 1L, Long::sum);
      double biasCorrection1 = 1 - Math.pow(BETA1, t);
      double biasCorrection2 = 1 - Math.pow(BETA2, t);
      if (FUSED && fusible(p, g, mt, vt)) { // all four dense float32
        fusedStep(p, g, mt, vt, lr, weightDecay, biasCorrection1, biasCorrection2);
        continue;
      }
      p.muli(1 - lr * weightDecay);
      mt.muli(BETA1).addi(g.mul(1 - BETA1));
      vt.muli(BETA2).addi(g.mul(g).muli(1 - BETA2));
      INDArray denominator = Transforms.sqrt(vt, true).divi(Math.sqrt(biasCorrection2)).addi(EPS);
      p.subi(mt.div(denominator).muli(lr / biasCorrection1));
    }
  }

  /**
   * The same update as one pass over the four arrays' memory, for float32 on the CPU backend. The
   * op-by-op form above reads and writes 11.3 M parameters about ten times a step and allocates
   * four temporaries of that size (fresh, zeroed memory each time): ~12% of a memory-gru training
   * step at C = 100. Same arithmetic, in float as ND4J's ops on float arrays.
   */
  private void fusedStep(
      INDArray p,
      INDArray g,
      INDArray m1,
      INDArray m2,
      double lr,
      double weightDecay,
      double bc1,
      double bc2) {
    FloatBuffer fp = NativeFloats.view(p);
    FloatBuffer fg = NativeFloats.view(g);
    FloatBuffer fm = NativeFloats.view(m1);
    FloatBuffer fv = NativeFloats.view(m2);
    float decay = (float) (1 - lr * weightDecay);
    float b1 = (float) BETA1;
    float b2 = (float) BETA2;
    float c1 = (float) (1 - BETA1);
    float c2 = (float) (1 - BETA2);
    float sqrtBc2 = (float) Math.sqrt(bc2);
    float eps = (float) EPS;
    float stepSize = (float) (lr / bc1);
    int n = Math.toIntExact(p.length());
    for (int i = 0; i < n; i++) {
      float gi = fg.get(i);
      float m = b1 * fm.get(i) + c1 * gi;
      float v = b2 * fv.get(i) + c2 * (gi * gi);
      fm.put(i, m);
      fv.put(i, v);
      float denominator = (float) Math.sqrt(v) / sqrtBc2 + eps;
      fp.put(i, fp.get(i) * decay - m / denominator * stepSize);
    }
    // The buffers are raw views of the arrays' native memory; keep the arrays alive through the
    // loop.
    java.lang.ref.Reference.reachabilityFence(new Object[] {p, g, m1, m2});
  }

  private static boolean fusible(INDArray... arrays) {
    for (INDArray a : arrays) {
      if (!NativeFloats.isDense(a)) {
        return false;
      }
    }
    return true;
  }

  /** Moments by {@code <name>/m} and {@code <name>/v} (live arrays, for checkpoints). */
  public Map<String, INDArray> state() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (String name : m.keySet()) {
      out.put(name + "/m", m.get(name));
      out.put(name + "/v", v.get(name));
    }
    return out;
  }

  /** Steps taken per parameter name. */
  public Map<String, Long> steps() {
    return Collections.unmodifiableMap(steps);
  }

  /**
   * Replaces the state with a saved one ({@link #state()} and {@link #steps()} of a checkpoint).
   */
  public void restore(Map<String, INDArray> state, Map<String, Long> savedSteps) {
    m.clear();
    v.clear();
    steps.clear();
    for (Map.Entry<String, Long> e : savedSteps.entrySet()) {
      String name = e.getKey();
      INDArray mt = state.get(name + "/m");
      INDArray vt = state.get(name + "/v");
      if (mt == null || vt == null) {
        throw new IllegalArgumentException("optimizer state lacks the moments of " + name);
      }
      // in the saved type: float32 state for a float32 model, float64 for a float64 one
      m.put(name, mt.dup('c'));
      v.put(name, vt.dup('c'));
      steps.put(name, e.getValue());
    }
  }
}
