package ai.lvm.model;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fully connected layer {@code y = x W^T + b} with PyTorch's weight layout ({@code W [out, in]})
 * and initialisation (uniform within {@code 1/sqrt(in)} for weight and bias), so weights map one to
 * one onto the reference's {@code nn.Linear}. Keeps its last input for backward.
 */
public final class Linear {
  private final INDArray weight;
  private final INDArray bias;
  private final INDArray weightGrad;
  private final INDArray biasGrad;
  private INDArray input;

  /** Registers {@code <name>.weight} and {@code <name>.bias} in {@code params}. */
  public Linear(Parameters params, String name, int in, int out, SplittableRandom rng) {
    double bound = 1 / Math.sqrt(in);
    this.weight =
        params.add(name + ".weight", Tensors.uniform(rng, params.dataType(), bound, out, in));
    this.bias = params.add(name + ".bias", Tensors.uniform(rng, params.dataType(), bound, out));
    this.weightGrad = params.gradient(name + ".weight");
    this.biasGrad = params.gradient(name + ".bias");
  }

  /**
   * Sets weight and bias to zero: the output layer of a model whose prediction starts at its base
   * ({@link PredictionHead#startsAtBase}). Its own gradient is non-zero from the first step, so it
   * still learns; the layers below receive gradient once it has moved.
   */
  void zero() {
    weight.assign(0);
    bias.assign(0);
  }

  INDArray weight() {
    return weight;
  }

  INDArray bias() {
    return bias;
  }

  INDArray biasGradient() {
    return biasGrad;
  }

  /** {@code x [N, in]} to {@code [N, out]}. */
  public INDArray forward(INDArray x) {
    input = x;
    return Tensors.mm(x, weight, false, true).addiRowVector(bias);
  }

  /** The same map without keeping the input: for uses outside the gradient path. */
  INDArray apply(INDArray x) {
    return Tensors.mm(x, weight, false, true).addiRowVector(bias);
  }

  /** Accumulates weight and bias gradients; returns dLoss/dx {@code [N, in]}. */
  public INDArray backward(INDArray dy) {
    Tensors.mmAdd(dy, input, weightGrad, true, false);
    biasGrad.addi(dy.sum(0));
    return Tensors.mm(dy, weight, false, false);
  }
}
