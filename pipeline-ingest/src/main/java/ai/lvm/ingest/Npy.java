package ai.lvm.ingest;

import ai.lvm.config.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} array (format versions 1, 2 and 3), parsed without NumPy:
 * magic {@code \x93NUMPY}, version, header length, then a Python dict literal with {@code descr},
 * {@code fortran_order} and {@code shape}. The data follows the header, row-major unless Fortran
 * order. Pure, so the NPZ importer can check an array before any Spark work.
 *
 * @param descr the dtype, e.g. {@code <f4} (little-endian float32)
 * @param fortranOrder whether the data is column-major
 * @param shape the dimensions
 * @param dataOffset bytes from the start of the .npy to its data
 */
public record Npy(String descr, boolean fortranOrder, long[] shape, int dataOffset) {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** Bytes enough for the fixed prefix of every version (magic, version, 4-byte length). */
  public static final int PREFIX = 12;

  /** The length of the whole header (prefix included) from the first {@link #PREFIX} bytes. */
  public static int headerLength(byte[] prefix, String where) {
    if (prefix.length < 10) {
      throw invalid(where, "it is shorter than a .npy header");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (prefix[i] != MAGIC[i]) {
        throw invalid(where, "it does not start with the .npy magic bytes");
      }
    }
    int major = prefix[6] & 0xff;
    ByteBuffer b = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
    return switch (major) {
      case 1 -> 10 + (b.getShort(8) & 0xffff);
      case 2, 3 -> {
        if (prefix.length < PREFIX) {
          throw invalid(where, "it is shorter than a version " + major + " .npy header");
        }
        long len = b.getInt(8) & 0xffffffffL;
        if (len > Integer.MAX_VALUE - PREFIX) {
          throw invalid(where, "its header length " + len + " is not plausible");
        }
        yield PREFIX + (int) len;
      }
      default -> throw invalid(where, "its .npy format version " + major + " is not 1, 2 or 3");
    };
  }

  /** Parses a complete header (the first {@link #headerLength} bytes of the .npy). */
  public static Npy parse(byte[] header, String where) {
    int length = headerLength(header, where);
    if (header.length < length) {
      throw invalid(where, "its header is truncated");
    }
    int major = header[6] & 0xff;
    int dictStart = major == 1 ? 10 : PREFIX;
    String dict =
        new String(
            header,
            dictStart,
            length - dictStart,
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(dict);
    Matcher fortran = FORTRAN.matcher(dict);
    Matcher shape = SHAPE.matcher(dict);
    if (!descr.find() || !fortran.find() || !shape.find()) {
      throw invalid(where, "its header is not a .npy header dict: " + dict.strip());
    }
    List<Long> dims = new ArrayList<>();
    for (String part : shape.group(1).split(",")) {
      if (!part.isBlank()) {
        try {
          dims.add(Long.parseLong(part.strip().replace("L", "")));
        } catch (NumberFormatException e) {
          throw invalid(where, "its shape (" + shape.group(1) + ") is not a tuple of integers");
        }
      }
    }
    return new Npy(
        descr.group(1),
        fortran.group(1).equals("True"),
        dims.stream().mapToLong(Long::longValue).toArray(),
        length);
  }

  /** Whether the elements are float32, and in which byte order. */
  public ByteOrder float32Order(String where, String array) {
    return switch (descr) {
      case "<f4", "=f4" -> ByteOrder.LITTLE_ENDIAN;
      case ">f4" -> ByteOrder.BIG_ENDIAN;
      default ->
          throw invalid(
              where,
              "array '"
                  + array
                  + "' has dtype '"
                  + descr
                  + "'; expected float32 ('<f4'). Convert it with"
                  + " np.savez(path, "
                  + array
                  + "=a.astype(np.float32))");
    };
  }

  /** Checks a row-major 2-D float32 array and returns its byte order. */
  public ByteOrder requireFloat32Matrix(String where, String array) {
    ByteOrder order = float32Order(where, array);
    if (shape.length != 2) {
      throw invalid(
          where,
          "array '"
              + array
              + "' has "
              + shape.length
              + " dimension(s) "
              + java.util.Arrays.toString(shape)
              + "; expected 2 ([N vectors, D])");
    }
    if (fortranOrder) {
      throw invalid(
          where,
          "array '"
              + array
              + "' is in Fortran (column-major) order; save it with np.ascontiguousarray");
    }
    if (shape[1] < 1 || shape[1] > 1_000_000) {
      throw invalid(where, "array '" + array + "' has dimension " + shape[1]);
    }
    return order;
  }

  private static InvalidInputException invalid(String where, String why) {
    return new InvalidInputException("Invalid NPZ '" + where + "': " + why + ".");
  }
}
