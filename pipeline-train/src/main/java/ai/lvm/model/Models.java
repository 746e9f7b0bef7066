package ai.lvm.model;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds models from a {@link ModelSpec}, rejecting invalid specs with a message that names the
 * field, so configuration errors surface before any array is allocated.
 */
public final class Models {
  /** Model types this factory builds. */
  public static final List<String> TYPES =
      List.of(MemoryGru.TYPE, ResidualGru.TYPE, Lstm.TYPE, Amn.TYPE, Mix.TYPE);

  private Models() {}

  /** A float32 model for training and inference. */
  public static LatentVectorModel create(ModelSpec spec) {
    return create(spec, DataType.FLOAT);
  }

  /** A model of the given floating-point type (float64 for gradient checks). */
  public static LatentVectorModel create(ModelSpec spec, DataType dataType) {
    validate(spec);
    return switch (spec.type()) {
      case MemoryGru.TYPE -> new MemoryGru(spec, dataType);
      case ResidualGru.TYPE -> new ResidualGru(spec, dataType);
      case Lstm.TYPE -> new Lstm(spec, dataType);
      case Amn.TYPE -> new Amn(spec, dataType);
      case Mix.TYPE -> new Mix(spec, dataType);
      default ->
          throw new IllegalArgumentException(
              "type: unknown model type " + spec.type() + "; known: " + TYPES);
    };
  }

  /** Trainable scalars a spec's model has, without building it. */
  public static long parameterCount(ModelSpec spec) {
    validate(spec);
    return PredictionHead.parameterCount(spec)
        + switch (spec.type()) {
          case MemoryGru.TYPE -> MemoryGru.parameterCount(spec);
          case ResidualGru.TYPE -> ResidualGru.parameterCount(spec);
          case Lstm.TYPE -> Lstm.parameterCount(spec);
          case Amn.TYPE -> Amn.parameterCount(spec);
          case Mix.TYPE -> Mix.parameterCount(spec);
          default -> throw new IllegalArgumentException("type: unknown model type " + spec.type());
        };
  }

  /** Throws {@link IllegalArgumentException} naming the first invalid field. */
  public static void validate(ModelSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("spec: null");
    }
    if (spec.type() == null || !TYPES.contains(spec.type())) {
      throw new IllegalArgumentException(
          "type: unknown model type " + spec.type() + "; known: " + TYPES);
    }
    positive("dimension", spec.dimension());
    positive("hidden", spec.hidden());
    positive("layers", spec.layers());
    if (spec.type().equals(MemoryGru.TYPE)) {
      positive("memorySlots", spec.memorySlots());
    }
    if (spec.type().equals(Amn.TYPE) && spec.hidden() < 2) {
      throw new IllegalArgumentException("hidden: amn needs at least 2, got " + spec.hidden());
    }
    if (!(spec.dropout() >= 0 && spec.dropout() < 1)) {
      throw new IllegalArgumentException("dropout: must be in [0, 1), got " + spec.dropout());
    }
    if (spec.prediction() == null) {
      throw new IllegalArgumentException("prediction: must be residual, direct or base, got null");
    }
    positive("baseK", spec.baseK());
    positive("lags", spec.lags());
    if (spec.baseLags() < 0) {
      throw new IllegalArgumentException(
          "baseLags: must be 0 (none) or positive, got " + spec.baseLags());
    }
    if (spec.type().equals(Mix.TYPE) && spec.prediction() != PredictionMode.BASE) {
      throw new IllegalArgumentException(
          "prediction: mix is built around its base and needs the base prediction mode, got "
              + spec.prediction().configName());
    }
  }

  private static void positive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + ": must be positive, got " + value);
    }
  }
}
