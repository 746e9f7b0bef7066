package ai.lvm.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes small .npy / .npz files as NumPy does (version 1 headers, padded to 64 bytes). */
final class NpzFiles {
  private NpzFiles() {}

  /** A .npy of the given dtype and shape holding {@code data} (already in that dtype's bytes). */
  static byte[] npy(String descr, boolean fortran, long[] shape, byte[] data) {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String dimsText =
        shape.length == 1 ? shape[0] + "," : dims.substring(0, Math.max(0, dims.length() - 2));
    String dict =
        "{'descr': '"
            + descr
            + "', 'fortran_order': "
            + (fortran ? "True" : "False")
            + ", 'shape': ("
            + dimsText
            + "), }";
    int unpadded = 10 + dict.length() + 1;
    int padded = (unpadded + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - unpadded) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(header.length() & 0xff);
    out.write(header.length() >> 8);
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data);
    return out.toByteArray();
  }

  static byte[] float32(float[][] rows) {
    ByteBuffer b =
        ByteBuffer.allocate(rows.length * (rows.length == 0 ? 0 : rows[0].length) * 4)
            .order(ByteOrder.LITTLE_ENDIAN);
    for (float[] r : rows) {
      for (float f : r) {
        b.putFloat(f);
      }
    }
    return b.array();
  }

  static byte[] vectorsNpy(float[][] rows) {
    return npy("<f4", false, new long[] {rows.length, rows[0].length}, float32(rows));
  }

  /** A zip of named .npy arrays; {@code compressed} as np.savez_compressed, else np.savez. */
  static Path npz(Path file, Map<String, byte[]> arrays, boolean compressed) throws IOException {
    try (OutputStream os = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> e : arrays.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
        if (!compressed) {
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(e.getValue().length);
          entry.setCompressedSize(e.getValue().length);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return file;
  }

  static Path npz(Path file, String name, byte[] npy, boolean compressed) throws IOException {
    Map<String, byte[]> arrays = new LinkedHashMap<>();
    arrays.put("ids", npy("<i8", false, new long[] {1}, new byte[8]));
    arrays.put(name, npy);
    return npz(file, arrays, compressed);
  }
}
