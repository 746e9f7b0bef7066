package ai.lvm.window;

import ai.lvm.format.Split;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The article protocol's split: a document goes to train, val or test by a stable hash of its id,
 * so it stays in its split in every future snapshot (as long as the fractions stay the same).
 *
 * <p>The hash is the first 8 bytes of SHA-256 over the UTF-8 bytes of {@code doc_id}, read
 * big-endian as an unsigned integer and divided by 2^64: a number u in [0, 1). The document is
 * train when u &lt; train, val when u &lt; train + val, test otherwise. Any language can reproduce
 * it.
 */
public record ArticleSplit(double train, double val, double test) implements java.io.Serializable {

  public ArticleSplit {
    if (!(train > 0) || val < 0 || test < 0 || Math.abs(train + val + test - 1.0) > 1e-9) {
      throw new IllegalArgumentException(
          "fractions must be train > 0, val >= 0, test >= 0 and sum to 1");
    }
  }

  public Split assign(String docId) {
    double u = unitHash(docId);
    if (u < train) {
      return Split.TRAIN;
    }
    return u < train + val ? Split.VAL : Split.TEST;
  }

  /** SHA-256 prefix of the id as a number in [0, 1). */
  public static double unitHash(String docId) {
    byte[] h;
    try {
      h = MessageDigest.getInstance("SHA-256").digest(docId.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (h[i] & 0xFF);
    }
    // Top 53 bits give an exact double in [0, 1).
    return (bits >>> 11) * 0x1.0p-53;
  }
}
