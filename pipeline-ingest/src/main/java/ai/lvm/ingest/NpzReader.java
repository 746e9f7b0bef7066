package ai.lvm.ingest;

import ai.lvm.config.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads the float32 {@code vectors} array [N, D] of the reference system's NPZ files (a zip of
 * {@code .npy} arrays, as {@code np.savez} and {@code np.savez_compressed} write them) from any
 * Hadoop FileSystem. {@link #open} checks the array on the driver; {@link #rows} streams a range of
 * rows inside a Spark task. Stored (uncompressed) entries are read by position, so tasks read
 * disjoint ranges in parallel; compressed entries can only be streamed from the start.
 */
public final class NpzReader {
  /** The array the reference system stores its vectors in. */
  public static final String ARRAY = "vectors";

  /**
   * What the driver learned about the array.
   *
   * @param rows N
   * @param dimension D
   * @param stored whether the entry is uncompressed (rows can be read at any offset)
   * @param dataOffset the absolute file offset of row 0 when stored
   * @param bigEndian the byte order of the floats
   */
  public record VectorsArray(
      String path, long rows, int dimension, boolean stored, long dataOffset, boolean bigEndian)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  private NpzReader() {}

  /** Opens the NPZ, finds {@code vectors.npy} and checks it is a row-major 2-D float32 array. */
  public static VectorsArray open(Path path, Configuration conf) {
    String where = path.toString();
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.isFile(path)) {
        throw new InvalidInputException(
            "Cannot read NPZ '" + where + "': it does not exist or is not a file.");
      }
      try (ZipFile zip = zip(fs, path, where)) {
        ZipArchiveEntry entry = zip.getEntry(ARRAY + ".npy");
        if (entry == null) {
          List<String> names = new ArrayList<>();
          for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
            names.add(e.getName().replaceFirst("\\.npy$", ""));
          }
          throw new InvalidInputException(
              "Invalid NPZ '"
                  + where
                  + "': no array '"
                  + ARRAY
                  + "' (it holds "
                  + (names.isEmpty() ? "no arrays" : names)
                  + "). Save the [N, D] float32 vectors as np.savez(path, vectors=...).");
        }
        Npy npy;
        try (InputStream in = zip.getInputStream(entry)) {
          npy = readHeader(in, where + "!" + entry.getName());
        }
        ByteOrder order = npy.requireFloat32Matrix(where, ARRAY);
        long rows = npy.shape()[0];
        int d = (int) npy.shape()[1];
        boolean stored = entry.getMethod() == ZipMethod.STORED.getCode();
        if (entry.getSize() >= 0 && entry.getSize() < npy.dataOffset() + rows * d * 4L) {
          throw new InvalidInputException(
              "Invalid NPZ '"
                  + where
                  + "': array '"
                  + ARRAY
                  + "' is truncated ("
                  + entry.getSize()
                  + " bytes for shape ["
                  + rows
                  + ", "
                  + d
                  + "]).");
        }
        return new VectorsArray(
            where,
            rows,
            d,
            stored,
            stored ? entry.getDataOffset() + npy.dataOffset() : -1,
            order == ByteOrder.BIG_ENDIAN);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read NPZ " + where, e);
    }
  }

  private static ZipFile zip(FileSystem fs, Path path, String where) throws IOException {
    HadoopChannel channel = new HadoopChannel(fs, path);
    try {
      return ZipFile.builder().setSeekableByteChannel(channel).get();
    } catch (IOException e) {
      channel.close();
      throw new InvalidInputException(
          "Invalid NPZ '" + where + "': it is not a zip archive (" + e.getMessage() + ").", e);
    }
  }

  private static Npy readHeader(InputStream in, String where) throws IOException {
    byte[] prefix = in.readNBytes(Npy.PREFIX);
    int length = Npy.headerLength(prefix, where);
    byte[] header = new byte[length];
    System.arraycopy(prefix, 0, header, 0, Math.min(prefix.length, length));
    if (length > prefix.length) {
      int more = in.readNBytes(header, prefix.length, length - prefix.length);
      if (more < length - prefix.length) {
        throw new InvalidInputException("Invalid NPZ '" + where + "': its header is truncated.");
      }
    }
    return Npy.parse(header, where);
  }

  /**
   * Rows {@code [from, to)} of the array, read lazily (one row in memory at a time) and closed at
   * the end. Compressed entries are decompressed from the start up to {@code from}.
   */
  public static Iterator<float[]> rows(VectorsArray a, long from, long to, Configuration conf)
      throws IOException {
    Path path = new Path(a.path());
    FileSystem fs = path.getFileSystem(conf);
    InputStream raw;
    ZipFile zip = null;
    if (a.stored()) {
      var in = fs.open(path);
      in.seek(a.dataOffset() + from * a.dimension() * 4L);
      raw = in;
    } else {
      zip = zip(fs, path, a.path());
      InputStream in = zip.getInputStream(zip.getEntry(ARRAY + ".npy"));
      readHeader(in, a.path());
      in.skipNBytes(from * a.dimension() * 4L);
      raw = in;
    }
    ZipFile toClose = zip;
    DataInputStream data = new DataInputStream(new BufferedInputStream(raw, 1 << 20));
    ByteOrder order = a.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    byte[] bytes = new byte[a.dimension() * 4];
    return new Iterator<>() {
      long next = from;

      @Override
      public boolean hasNext() {
        if (next < to) {
          return true;
        }
        close();
        return false;
      }

      @Override
      public float[] next() {
        if (next >= to) {
          throw new NoSuchElementException();
        }
        try {
          data.readFully(bytes);
        } catch (EOFException e) {
          close();
          throw new InvalidInputException(
              "Invalid NPZ '" + a.path() + "': array '" + ARRAY + "' ends before row " + next, e);
        } catch (IOException e) {
          close();
          throw new UncheckedIOException("Cannot read NPZ " + a.path(), e);
        }
        float[] row = new float[a.dimension()];
        ByteBuffer.wrap(bytes).order(order).asFloatBuffer().get(row);
        next++;
        return row;
      }

      private void close() {
        try {
          data.close();
          if (toClose != null) {
            toClose.close();
          }
        } catch (IOException e) {
          // Reading is done; a failed close of a read-only stream loses nothing.
        }
      }
    };
  }
}
