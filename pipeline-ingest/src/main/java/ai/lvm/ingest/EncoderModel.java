package ai.lvm.ingest;

/**
 * The encoders {@code lvm.ingest.model} can name. Each is all-MiniLM-L6-v2 (384-d, mean pooling,
 * L2-normalised) as packaged by langchain4j on Maven Central, the ONNX model and its tokenizer
 * inside the jar, so nothing is downloaded at run time.
 */
public enum EncoderModel {
  /** fp32 weights: the reference quality. */
  MINILM("all-MiniLM-L6-v2", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", 384),
  /** int8-quantised weights: about 2-3x faster on CPU, vectors close to fp32's but not equal. */
  MINILM_INT8(
      "all-MiniLM-L6-v2-int8", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", 384);

  private final String modelName;
  private final String onnxResource;
  private final String tokenizerResource;
  private final int dimension;

  EncoderModel(String modelName, String onnxResource, String tokenizerResource, int dimension) {
    this.modelName = modelName;
    this.onnxResource = onnxResource;
    this.tokenizerResource = tokenizerResource;
    this.dimension = dimension;
  }

  public String modelName() {
    return modelName;
  }

  String onnxResource() {
    return onnxResource;
  }

  String tokenizerResource() {
    return tokenizerResource;
  }

  public int dimension() {
    return dimension;
  }
}
