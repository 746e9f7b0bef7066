package ai.lvm.checkpoint;

import ai.lvm.config.Ids;
import ai.lvm.format.AtomicFiles;
import ai.lvm.format.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one training run, on any Hadoop FileSystem:
 *
 * <pre>
 * &lt;lvm.root&gt;/runs/&lt;run-id&gt;/last/checkpoint.json     record, written last: the checkpoint exists
 * &lt;lvm.root&gt;/runs/&lt;run-id&gt;/last/parameters.bin     trainable arrays
 * &lt;lvm.root&gt;/runs/&lt;run-id&gt;/last/buffers.bin        non-trainable model state
 * &lt;lvm.root&gt;/runs/&lt;run-id&gt;/last/optimizer.bin      AdamW moments
 * &lt;lvm.root&gt;/runs/&lt;run-id&gt;/best/...                the same, at the best validation Hit@5
 * &lt;lvm.root&gt;/runs/&lt;run-id&gt;/status.json             how the run ended (informational)
 * &lt;lvm.root&gt;/runs/&lt;run-id&gt;/_last.new-*, _last.old-*  transient during a replacement
 * </pre>
 *
 * <p>Binary files hold each array's values little-endian in c order, back to back; the record lists
 * names, data types, shapes, offsets, file lengths and CRC32s. Saving writes a complete new
 * directory (data, then the record through a temporary file and a rename), then swaps it in with
 * two renames. A checkpoint is loadable only when its record is: a crash at any point leaves the
 * previous checkpoint or the new one, never a partial one. {@link #load} considers the slot
 * directory and any complete directory a crash left mid-swap, and takes the one with the most
 * optimizer steps.
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  public static final String RUNS = "runs";
  public static final String STATUS_FILE = "status.json";

  /** The two checkpoints a run keeps. */
  public enum Slot {
    BEST,
    LAST;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final String[] GROUPS = {"parameters", "buffers", "optimizer"};

  private final FileSystem fs;
  private final Path run;

  /** The store of run {@code runId} under {@code <lvmRoot>/runs/}. */
  public CheckpointStore(String lvmRoot, String runId, Configuration hadoopConf) {
    if (!Ids.valid(runId)) {
      throw new IllegalArgumentException("run id must be " + Ids.RULE + "; got '" + runId + "'");
    }
    Path dir = new Path(new Path(new Path(lvmRoot), RUNS), runId);
    try {
      this.fs = dir.getFileSystem(hadoopConf);
      this.run = fs.makeQualified(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the file system of " + dir, e);
    }
  }

  /** The run id: the run directory's name. */
  public String runId() {
    return run.getName();
  }

  public Path path(Slot slot) {
    return new Path(run, slot.id());
  }

  /**
   * Writes {@code checkpoint} as the new {@code slot}; the old one stays until the new is whole.
   */
  public void save(Slot slot, Checkpoint checkpoint) {
    String nonce = UUID.randomUUID().toString().substring(0, 8);
    Path fresh = new Path(run, "_" + slot.id() + ".new-" + nonce);
    Path target = path(slot);
    try {
      removeDebris(slot);
      fs.mkdirs(fresh);
      Map<String, CheckpointRecord.ArrayFile> files = new LinkedHashMap<>();
      files.put("parameters", writeArrays(fresh, "parameters.bin", checkpoint.parameters()));
      files.put("buffers", writeArrays(fresh, "buffers.bin", checkpoint.buffers()));
      files.put("optimizer", writeArrays(fresh, "optimizer.bin", checkpoint.optimizer()));
      CheckpointRecord r = checkpoint.record();
      CheckpointRecord record = r.written(slot.id(), files, java.time.Instant.now().toString());
      AtomicFiles.create(fs, new Path(fresh, CheckpointRecord.FILE_NAME), Json.write(record));
      AtomicFiles.replaceDirectory(fs, fresh, target);
      LOG.debug("Saved {} checkpoint of epoch {} at {}", slot.id(), r.progress().epoch(), target);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save the " + slot.id() + " checkpoint at " + run, e);
    }
  }

  /**
   * The complete checkpoint of {@code slot}, or empty when none was ever completed. Throws {@link
   * CheckpointException} when a record exists but the checkpoint is corrupt or of a newer format.
   */
  public Optional<Checkpoint> load(Slot slot) {
    Optional<Path> chosen = newestComplete(slot);
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    Path dir = chosen.get();
    CheckpointRecord record = readRecord(dir);
    Map<String, Map<String, INDArray>> groups = new LinkedHashMap<>();
    for (String group : GROUPS) {
      CheckpointRecord.ArrayFile file = record.arrays() == null ? null : record.arrays().get(group);
      if (file == null) {
        throw corrupt(dir, "its record lists no '" + group + "' file");
      }
      groups.put(group, readArrays(dir, file));
    }
    return Optional.of(
        new Checkpoint(
            record, groups.get("parameters"), groups.get("buffers"), groups.get("optimizer")));
  }

  /** Only the record of {@code slot} (cheap: no arrays), or empty. */
  public Optional<CheckpointRecord> loadRecord(Slot slot) {
    return newestComplete(slot).map(this::readRecord);
  }

  /** Replaces {@code status.json} of the run with {@code status} as JSON. */
  public void writeStatus(Object status) {
    Path p = new Path(run, STATUS_FILE);
    try {
      fs.mkdirs(run);
      // the status is informational: the moment it is absent during the swap is harmless
      AtomicFiles.replaceFile(fs, p, Json.write(status));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + p, e);
    }
  }

  /** The run's {@code status.json} read as {@code type}, or empty when the run never wrote one. */
  public <T> Optional<T> readStatus(Class<T> type) {
    Path p = new Path(run, STATUS_FILE);
    try (InputStream in = fs.open(p)) {
      return Optional.of(Json.read(in.readAllBytes(), type));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + p, e);
    }
  }

  private Optional<Path> newestComplete(Slot slot) {
    List<Path> candidates = new ArrayList<>();
    try {
      if (!fs.exists(run)) {
        return Optional.empty();
      }
      candidates.add(path(slot));
      for (FileStatus s : fs.listStatus(run)) {
        if (s.isDirectory() && s.getPath().getName().startsWith("_" + slot.id() + ".")) {
          candidates.add(s.getPath());
        }
      }
      List<Path> complete = new ArrayList<>();
      for (Path c : candidates) {
        if (fs.exists(new Path(c, CheckpointRecord.FILE_NAME))) {
          complete.add(c);
        } else if (fs.exists(c)) {
          LOG.warn(
              "Ignoring {}: it has no {} (an interrupted save)", c, CheckpointRecord.FILE_NAME);
        }
      }
      if (complete.size() <= 1) {
        return complete.stream().findFirst();
      }
      // A crash mid-swap: the newest complete one wins; the slot directory wins ties.
      return complete.stream()
          .max(Comparator.comparingLong((Path c) -> readRecord(c).progress().step()))
          .map(p -> p);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list checkpoints under " + run, e);
    }
  }

  private void removeDebris(Slot slot) throws IOException {
    if (!fs.exists(run)) {
      return;
    }
    for (FileStatus s : fs.listStatus(run)) {
      if (s.getPath().getName().startsWith("_" + slot.id() + ".")) {
        LOG.warn("Removing checkpoint debris of an interrupted save: {}", s.getPath());
        fs.delete(s.getPath(), true);
      }
    }
  }

  private CheckpointRecord readRecord(Path dir) {
    Path p = new Path(dir, CheckpointRecord.FILE_NAME);
    byte[] bytes;
    try (InputStream in = fs.open(p)) {
      bytes = in.readAllBytes();
    } catch (FileNotFoundException e) {
      throw corrupt(dir, "its record disappeared while reading");
    } catch (ChecksumException e) {
      throw corrupt(dir, "its record fails the file system's checksum (damaged)");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + p, e);
    }
    CheckpointRecord record;
    try {
      record = Json.read(CheckpointRecord.upgrade(Json.tree(bytes)), CheckpointRecord.class);
    } catch (RuntimeException e) {
      throw new CheckpointException(
          "Corrupt checkpoint at " + dir + ": cannot parse " + p.getName() + ": " + e.getMessage(),
          e);
    }
    if (record.formatVersion() > CheckpointRecord.FORMAT_VERSION) {
      throw new CheckpointException(
          "Incompatible checkpoint at "
              + dir
              + ": format version "
              + record.formatVersion()
              + ", this code reads up to "
              + CheckpointRecord.FORMAT_VERSION
              + ". Upgrade the pipeline.");
    }
    if (!record.complete()) {
      throw corrupt(dir, "its record lacks required fields");
    }
    return record;
  }

  private CheckpointRecord.ArrayFile writeArrays(
      Path dir, String name, Map<String, INDArray> arrays) throws IOException {
    List<CheckpointRecord.ArrayEntry> entries = new ArrayList<>();
    CRC32 crc = new CRC32();
    long offset = 0;
    try (OutputStream out = fs.create(new Path(dir, name), false)) {
      for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
        INDArray a = e.getValue();
        boolean isDouble = a.dataType() == DataType.DOUBLE;
        byte[] bytes = encode(a, isDouble);
        out.write(bytes);
        crc.update(bytes);
        entries.add(
            new CheckpointRecord.ArrayEntry(
                e.getKey(), isDouble ? "float64" : "float32", a.shape(), offset));
        offset += bytes.length;
      }
    }
    return new CheckpointRecord.ArrayFile(name, offset, crc.getValue(), entries);
  }

  private static byte[] encode(INDArray a, boolean isDouble) {
    INDArray c = a.castTo(isDouble ? DataType.DOUBLE : DataType.FLOAT).dup('c');
    if (isDouble) {
      double[] v = c.data().asDouble();
      ByteBuffer buf = ByteBuffer.allocate(v.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      buf.asDoubleBuffer().put(v);
      return buf.array();
    }
    float[] v = c.data().asFloat();
    ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(v);
    return buf.array();
  }

  private Map<String, INDArray> readArrays(Path dir, CheckpointRecord.ArrayFile file) {
    Path p = new Path(dir, file.file());
    byte[] bytes;
    try (InputStream in = fs.open(p)) {
      bytes = in.readAllBytes();
    } catch (FileNotFoundException e) {
      throw corrupt(dir, "its data file " + file.file() + " is missing");
    } catch (ChecksumException e) {
      throw corrupt(dir, file.file() + " fails the file system's checksum (damaged)");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + p, e);
    }
    if (bytes.length != file.bytes()) {
      throw corrupt(
          dir, file.file() + " has " + bytes.length + " bytes, its record says " + file.bytes());
    }
    CRC32 crc = new CRC32();
    crc.update(bytes);
    if (crc.getValue() != file.crc32()) {
      throw corrupt(dir, file.file() + " fails its CRC32 check (damaged or overwritten)");
    }
    Map<String, INDArray> out = new LinkedHashMap<>();
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (CheckpointRecord.ArrayEntry e : file.entries()) {
      long count = 1;
      for (long s : e.shape()) {
        if (s < 0) {
          throw corrupt(dir, "array '" + e.name() + "' has a negative dimension");
        }
        count = Math.multiplyExact(count, s);
      }
      boolean isDouble = "float64".equals(e.dtype());
      if (!isDouble && !"float32".equals(e.dtype())) {
        throw corrupt(dir, "array '" + e.name() + "' has unknown data type " + e.dtype());
      }
      long width = isDouble ? Double.BYTES : Float.BYTES;
      if (e.offset() < 0 || e.offset() + count * width > bytes.length) {
        throw corrupt(dir, "array '" + e.name() + "' lies outside " + file.file());
      }
      buf.position((int) e.offset());
      INDArray a;
      if (isDouble) {
        double[] v = new double[(int) count];
        buf.asDoubleBuffer().get(v);
        a = Nd4j.create(v, e.shape(), 'c');
      } else {
        float[] v = new float[(int) count];
        buf.asFloatBuffer().get(v);
        a = Nd4j.create(v, e.shape(), 'c');
      }
      out.put(e.name(), a);
    }
    return out;
  }

  private void write(Path p, byte[] bytes) throws IOException {
    try (OutputStream out = fs.create(p, false)) {
      out.write(bytes);
    }
  }

  private static CheckpointException corrupt(Path dir, String why) {
    return new CheckpointException(
        "Corrupt checkpoint at "
            + dir
            + ": "
            + why
            + ". Remove it (or start a new run id) to train from scratch.");
  }
}
