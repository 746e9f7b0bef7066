package ai.lvm.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The gate arithmetic of {@link JavaGates} (GRU) and {@link JavaLstm}, whole vectors at a time. A
 * class of its own, as {@link VectorGemm} is: only code that runs when the {@code
 * jdk.incubator.vector} module is present may load it.
 */
final class VectorGates {
  private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;

  private VectorGates() {}

  /**
   * One row's gate arithmetic: r = sigmoid(gi_r + gh_r), z = sigmoid(gi_z + gh_z), n = tanh(gi_n +
   * r gh_n), h = (1 - z) n + z h_prev, with gi and gh from offset {@code g}, h_prev (overwritten by
   * h) and n from {@code o1}, r and z from {@code o2}. Whole vectors in float32 through the Vector
   * API's EXP and TANH (x86: SVML, within a few ulp), the tail in float64 as before. At H = 512 one
   * row took 17.5 us in the float64 loop (three Math.exp a unit) and takes 0.9 us here (AVX-512);
   * on the reference size's single window at C = 100 that is ~6.6 ms of ~50.
   */
  static void gru(
      int h, float[] gi, float[] gh, int g, float[] hPrev, int o1, float[] rz, int o2, float[] n) {
    int j = 0;
    for (; j < LANES.loopBound(h); j += LANES.length()) {
      FloatVector r = sigmoid(add(gi, gh, g + j));
      FloatVector z = sigmoid(add(gi, gh, g + h + j));
      FloatVector nn =
          FloatVector.fromArray(LANES, gi, g + 2 * h + j)
              .add(r.mul(FloatVector.fromArray(LANES, gh, g + 2 * h + j)))
              .lanewise(VectorOperators.TANH);
      FloatVector prev = FloatVector.fromArray(LANES, hPrev, o1 + j);
      r.intoArray(rz, o2 + j);
      z.intoArray(rz, o2 + h + j);
      nn.intoArray(n, o1 + j);
      nn.add(z.mul(prev.sub(nn))).intoArray(hPrev, o1 + j);
    }
    for (; j < h; j++) {
      double r = JavaGates.sigmoid(gi[g + j] + gh[g + j]);
      double z = JavaGates.sigmoid(gi[g + h + j] + gh[g + h + j]);
      double nn = JavaGates.tanh(gi[g + 2 * h + j] + r * gh[g + 2 * h + j]);
      double prev = hPrev[o1 + j];
      rz[o2 + j] = (float) r;
      rz[o2 + h + j] = (float) z;
      n[o1 + j] = (float) nn;
      hPrev[o1 + j] = (float) (nn + z * (prev - nn)); // (1 - z) n + z h
    }
  }

  /**
   * One row's LSTM cell: from the pre-activations at offset {@code g} of {@code gates}, i =
   * sigmoid, f = sigmoid, g = tanh, o = sigmoid (written back over them), c = f c_prev + i g, tanh
   * c and h = o tanh c, with c_prev (overwritten by c), tanh c and h_prev (overwritten by h) at
   * offset {@code o1}. Vectors and tail as {@link #gru}.
   */
  static void lstm(int h, float[] gates, int g, float[] c, float[] tanhC, float[] hPrev, int o1) {
    int j = 0;
    for (; j < LANES.loopBound(h); j += LANES.length()) {
      FloatVector i = sigmoid(FloatVector.fromArray(LANES, gates, g + j));
      FloatVector f = sigmoid(FloatVector.fromArray(LANES, gates, g + h + j));
      FloatVector gg =
          FloatVector.fromArray(LANES, gates, g + 2 * h + j).lanewise(VectorOperators.TANH);
      FloatVector o = sigmoid(FloatVector.fromArray(LANES, gates, g + 3 * h + j));
      FloatVector cj = f.mul(FloatVector.fromArray(LANES, c, o1 + j)).add(i.mul(gg));
      FloatVector tc = cj.lanewise(VectorOperators.TANH);
      i.intoArray(gates, g + j);
      f.intoArray(gates, g + h + j);
      gg.intoArray(gates, g + 2 * h + j);
      o.intoArray(gates, g + 3 * h + j);
      cj.intoArray(c, o1 + j);
      tc.intoArray(tanhC, o1 + j);
      o.mul(tc).intoArray(hPrev, o1 + j);
    }
    for (; j < h; j++) {
      float i = (float) JavaGates.sigmoid(gates[g + j]);
      float f = (float) JavaGates.sigmoid(gates[g + h + j]);
      float gg = (float) JavaGates.tanh(gates[g + 2 * h + j]);
      float o = (float) JavaGates.sigmoid(gates[g + 3 * h + j]);
      gates[g + j] = i;
      gates[g + h + j] = f;
      gates[g + 2 * h + j] = gg;
      gates[g + 3 * h + j] = o;
      float cj = f * c[o1 + j] + i * gg;
      float tc = (float) JavaGates.tanh(cj);
      c[o1 + j] = cj;
      tanhC[o1 + j] = tc;
      hPrev[o1 + j] = o * tc;
    }
  }

  private static FloatVector add(float[] a, float[] b, int at) {
    return FloatVector.fromArray(LANES, a, at).add(FloatVector.fromArray(LANES, b, at));
  }

  /** 1 / (1 + exp(-x)): exp overflows to infinity for x below about -88, giving exactly 0. */
  private static FloatVector sigmoid(FloatVector x) {
    return FloatVector.broadcast(LANES, 1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
  }
}
