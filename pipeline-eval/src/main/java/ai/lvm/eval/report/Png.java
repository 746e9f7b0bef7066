package ai.lvm.eval.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** PNG encoding of a rendered chart. */
final class Png {
  private Png() {}

  /**
   * The image as PNG bytes. ImageIO writes only IHDR, the pixel data and IEND for an RGB image with
   * default metadata (no tIME chunk), so the same pixels give the same bytes: a re-run report diffs
   * clean.
   */
  static byte[] encode(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer in this JDK");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory stream: not expected
    }
    return out.toByteArray();
  }
}
