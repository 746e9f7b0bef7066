package ai.lvm.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One encoder per executor JVM and model: the first task that needs a model loads it (seconds, and
 * ~90 MB of weights for fp32), every later task of that JVM reuses it. Keyed by model and thread
 * count so a test can hold two models at once.
 */
public final class Encoders {
  private static final ConcurrentMap<String, SentenceEncoder> LOADED = new ConcurrentHashMap<>();

  private Encoders() {}

  /** The shared encoder for {@code model}, loading it on first use. */
  public static SentenceEncoder get(EncoderModel model, int intraOpThreads) {
    return LOADED.computeIfAbsent(
        model.name() + "/" + intraOpThreads, k -> new MiniLmEncoder(model, intraOpThreads));
  }
}
