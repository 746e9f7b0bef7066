package ai.lvm.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The one way this pipeline makes files and directories appear whole on a Hadoop {@link
 * FileSystem}: write under a hidden name ({@code _}-prefixed, which Spark, Hive and every reader
 * here skip) beside the target, then rename into place. Snapshots, corpora ({@link Publisher}),
 * checkpoints, run status files, training tables and reports all go through it, so they share one
 * crash behaviour: a reader sees the old version or the new one, never a part, and an interrupted
 * write leaves only hidden debris that the next run removes or ignores.
 *
 * <p>Where a directory carries a record (a snapshot's manifest, a checkpoint's record), the record
 * is written last, so "the record exists" means "the directory is complete" whatever the store.
 *
 * <p><b>Object stores.</b> Everything above rests on rename being atomic, which holds on HDFS and
 * local files. On S3A and GCS a directory rename is a copy and a delete, object by object: a reader
 * listing during it can see part of the new directory, while a one-file rename is a one-object copy
 * and appears whole. There the record-last rule protects snapshots, corpora, checkpoints and
 * reports (readers go through the record), single files renamed into place (a run's table rows) are
 * whole, and partitions replaced in place commit through {@link CommittedFiles} instead of a
 * directory rename.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Renames {@code from} to {@code to}, which must not exist; throws where rename says false. */
  public static void move(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " returned false");
    }
  }

  /**
   * Creates the file {@code target} (which must not exist) with {@code bytes}, whole or not at all.
   */
  public static void create(FileSystem fs, Path target, byte[] bytes) throws IOException {
    move(fs, writeHidden(fs, target, bytes), target);
  }

  /**
   * Replaces the file {@code target} with {@code bytes}. Hadoop's rename never overwrites, so the
   * old file is deleted first: between the delete and the rename the file is briefly absent
   * (callers use this for pointers and status files, whose readers fall back when it is missing),
   * never partial.
   */
  public static void replaceFile(FileSystem fs, Path target, byte[] bytes) throws IOException {
    Path hidden = writeHidden(fs, target, bytes);
    fs.delete(target, false);
    try {
      move(fs, hidden, target);
    } catch (IOException e) {
      fs.delete(hidden, false);
      throw e;
    }
  }

  /**
   * Moves the complete directory {@code staged} to {@code target}, replacing what was there: the
   * old directory is renamed aside to the hidden sibling {@code _<name>.old-<nonce>} and deleted
   * once the new one is in place. A crash between the two renames leaves the target absent and the
   * old copy aside under that name, never a mix (a checkpoint's loader looks there to recover).
   */
  public static void replaceDirectory(FileSystem fs, Path staged, Path target) throws IOException {
    fs.mkdirs(target.getParent());
    String nonce = UUID.randomUUID().toString().substring(0, 8);
    Path old = new Path(target.getParent(), "_" + target.getName() + ".old-" + nonce);
    if (fs.exists(target)) {
      move(fs, target, old);
    }
    move(fs, staged, target);
    fs.delete(old, true);
  }

  /**
   * A fresh hidden sibling of {@code target}, for a file or directory that a writer of its own (a
   * Parquet writer) fills before it is moved into place.
   */
  public static Path hiddenSibling(Path target) {
    return new Path(target.getParent(), "_" + target.getName() + "." + UUID.randomUUID() + ".tmp");
  }

  /** {@code bytes} in a hidden sibling of {@code target}; its path. */
  private static Path writeHidden(FileSystem fs, Path target, byte[] bytes) throws IOException {
    Path hidden = hiddenSibling(target);
    try (OutputStream out = fs.create(hidden, false)) {
      out.write(bytes);
    }
    return hidden;
  }
}
