package ai.lvm.ingest;

import java.util.List;

/**
 * An in-process sentence encoder: texts in, one L2-normalised vector per text out. The seam where
 * another encoder (e.g. a 768-d one, when one is published on Maven Central) plugs in; ingest
 * records {@link #name} and {@link #dimension} in the corpus manifest.
 *
 * <p>Implementations are shared by every task of an executor JVM (see {@link Encoders}), so {@link
 * #encode} must be safe to call from several threads at once, and deterministic: the same text
 * gives the same vector bit for bit, whatever else is in the batch.
 */
public interface SentenceEncoder {
  /** The model name recorded in the manifest, e.g. {@code all-MiniLM-L6-v2}. */
  String name();

  /** The vector dimension D. */
  int dimension();

  /** One vector per text, in order. Texts must not be blank. */
  float[][] encode(List<String> texts);
}
