package ai.lvm.reader;

import ai.lvm.format.WindowSchema;
import ai.lvm.format.WindowValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the windows of one context size and split (a directory of Parquet files) into ND4J batches,
 * outside Spark's SQL engine: a training worker streams its data file by file through the Hadoop
 * FileSystem API and never holds more than one batch.
 *
 * <p>Only {@code window_id}, {@code target} and {@code context} are read (column projection). The
 * context binary is copied into the batch's float buffer in one bulk little-endian decode.
 */
public final class WindowReader implements AutoCloseable {
  private final Configuration conf;
  private final List<Path> files;
  private final int contextSize;
  private final int dimension;
  private final boolean withSegments;
  private int nextFile;
  private ParquetReader<Group> current;

  private WindowReader(
      Configuration conf, List<Path> files, int contextSize, int dimension, boolean withSegments) {
    this.conf = conf;
    this.files = files;
    this.contextSize = contextSize;
    this.dimension = dimension;
    this.withSegments = withSegments;
  }

  /**
   * Opens the Parquet files of {@code dir} in name order, also reading each window's {@code
   * context_segments} (validation against the corpus leaves a window's own context out).
   */
  public static WindowReader openWithSegments(
      Configuration conf, Path dir, int contextSize, int dimension) {
    return new WindowReader(
        new Configuration(conf), List.copyOf(files(conf, dir)), contextSize, dimension, true);
  }

  /** Opens the Parquet files of {@code dir} (hidden files skipped), in name order. */
  public static WindowReader open(Configuration conf, Path dir, int contextSize, int dimension) {
    return open(conf, files(conf, dir), contextSize, dimension);
  }

  /**
   * Opens {@code files} in the given order: a trainer visits a split's files in a seeded order per
   * epoch.
   */
  public static WindowReader open(
      Configuration conf, List<Path> files, int contextSize, int dimension) {
    return new WindowReader(
        new Configuration(conf), List.copyOf(files), contextSize, dimension, false);
  }

  /** The Parquet files of {@code dir} (hidden files skipped), in name order. */
  public static List<Path> files(Configuration conf, Path dir) {
    try {
      FileSystem fs = dir.getFileSystem(conf);
      List<Path> files = new ArrayList<>();
      for (FileStatus s : fs.listStatus(dir)) {
        String name = s.getPath().getName();
        if (s.isFile()
            && name.endsWith(".parquet")
            && !name.startsWith("_")
            && !name.startsWith(".")) {
          files.add(s.getPath());
        }
      }
      files.sort(null);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list windows at " + dir, e);
    }
  }

  /** The next batch of up to {@code batchSize} windows, or empty at the end. */
  public Optional<WindowBatch> next(int batchSize) {
    int c = contextSize;
    int d = dimension;
    long[] ids = new long[batchSize];
    float[] contexts = new float[Math.multiplyExact(batchSize, c * d)];
    float[] targets = new float[batchSize * d];
    List<List<ContextSegment>> segments = withSegments ? new ArrayList<>() : null;
    int n = 0;
    try {
      Group g;
      while (n < batchSize && (g = nextGroup()) != null) {
        ids[n] = g.getLong(WindowSchema.WINDOW_ID, 0);
        byte[] context = g.getBinary(WindowSchema.CONTEXT, 0).getBytesUnsafe();
        WindowValues.decodeContext(ids[n], context, c, d, contexts, n * c * d);
        Group list = g.getGroup(WindowSchema.TARGET, 0);
        WindowValues.requireTargetDimension(ids[n], list.getFieldRepetitionCount(0), d);
        for (int j = 0; j < d; j++) {
          targets[n * d + j] = list.getGroup(0, j).getFloat(0, 0);
        }
        if (withSegments) {
          segments.add(segments(g));
        }
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read windows from " + files.get(nextFile - 1), e);
    }
    if (n == 0) {
      return Optional.empty();
    }
    if (n < batchSize) {
      ids = Arrays.copyOf(ids, n);
      contexts = Arrays.copyOf(contexts, n * c * d);
      targets = Arrays.copyOf(targets, n * d);
    }
    return Optional.of(
        new WindowBatch(
            ids,
            Nd4j.create(contexts, new long[] {n, c, d}, 'c'),
            Nd4j.create(targets, new long[] {n, d}, 'c'),
            segments));
  }

  /** A window row's {@code context_segments}: list (LIST) { repeated list { element struct } }. */
  private static List<ContextSegment> segments(Group window) {
    Group list = window.getGroup(WindowSchema.CONTEXT_SEGMENTS, 0);
    int n = list.getFieldRepetitionCount(0);
    List<ContextSegment> out = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      Group s = list.getGroup(0, j).getGroup(0, 0);
      out.add(
          new ContextSegment(
              s.getString(WindowSchema.SEGMENT_DOC_ID, 0),
              s.getInteger(WindowSchema.SEGMENT_FIRST_CHUNK_INDEX, 0),
              s.getInteger(WindowSchema.SEGMENT_LENGTH, 0)));
    }
    return out;
  }

  private Group nextGroup() throws IOException {
    while (true) {
      if (current != null) {
        Group g = current.read();
        if (g != null) {
          return g;
        }
        current.close();
        current = null;
      }
      if (nextFile >= files.size()) {
        return null;
      }
      Path file = files.get(nextFile++);
      conf.set(ReadSupport.PARQUET_READ_SCHEMA, projection(file).toString());
      current = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build();
    }
  }

  private MessageType projection(Path file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      List<org.apache.parquet.schema.Type> columns = new ArrayList<>();
      columns.add(schema.getType(WindowSchema.WINDOW_ID));
      columns.add(schema.getType(WindowSchema.TARGET));
      columns.add(schema.getType(WindowSchema.CONTEXT));
      if (withSegments) {
        columns.add(schema.getType(WindowSchema.CONTEXT_SEGMENTS));
      }
      return new MessageType(schema.getName(), columns);
    }
  }

  @Override
  public void close() {
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
