package ai.lvm.format;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic publication of immutable outputs (window snapshots, corpora, runs) on any Hadoop
 * FileSystem. These are the storage guarantees every stage relies on:
 *
 * <ol>
 *   <li>Data is written under {@code <collection>/_staging/<id>-<nonce>/}; the leading underscore
 *       hides it from Spark and Hadoop readers.
 *   <li>{@link #publish} renames the staged directory to {@code <collection>/<id>/}, then writes
 *       the record file (e.g. {@code manifest.json}) through a temporary file and a rename: the
 *       record is always last.
 *   <li>An id is published if and only if its record exists. Readers ({@link #publishedIds}, {@link
 *       #latest}) see published ids only.
 *   <li>A published id is never modified; publishing it again fails.
 *   <li>A directory {@code <collection>/<id>/} without a record is debris of a crash between the
 *       two steps of publication; the next publication of that id removes it.
 *   <li>{@code <collection>/_LATEST} names the id published last; it is replaced after the record
 *       is written. When it is missing, readers fall back to the newest record.
 * </ol>
 *
 * <p>The renames and the record-last rule are {@link AtomicFiles}'s, which also states once what
 * holds on object stores: there step 2 is a copy, but the record is written only after it, so
 * guarantee 3 still holds. One writer per id at a time is the caller's contract (a nightly job owns
 * its ids).
 */
public final class Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
  public static final String STAGING = "_staging";
  public static final String LATEST = "_LATEST";

  private final Path collection;
  private final String recordName;
  private final FileSystem fs;

  public Publisher(Path collection, String recordName, Configuration hadoopConf) {
    try {
      this.fs = collection.getFileSystem(hadoopConf);
      this.collection = fs.makeQualified(collection);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the file system of " + collection, e);
    }
    this.recordName = recordName;
  }

  public Path collection() {
    return collection;
  }

  /** The final directory of {@code id} (published or not). */
  public Path path(String id) {
    return new Path(collection, id);
  }

  public boolean isPublished(String id) {
    return exists(new Path(path(id), recordName));
  }

  /**
   * A fresh staging path for {@code id} (not created, so a Spark writer can create it), after
   * removing older staging of that id.
   */
  public Path stage(String id) {
    Path staging = new Path(collection, STAGING);
    try {
      if (fs.exists(staging)) {
        for (FileStatus old : fs.listStatus(staging)) {
          if (old.getPath().getName().startsWith(id + "-")) {
            LOG.warn("Removing staging left by an earlier attempt: {}", old.getPath());
            fs.delete(old.getPath(), true);
          }
        }
      }
      fs.mkdirs(staging);
      return new Path(staging, id + "-" + UUID.randomUUID().toString().substring(0, 8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create staging under " + staging, e);
    }
  }

  /** Moves the staged data into place and writes the record last. */
  public void publish(Path staged, String id, byte[] record) {
    Path target = path(id);
    try {
      if (isPublished(id)) {
        throw new IllegalStateException(
            "Cannot publish '" + id + "': it is already published at " + target);
      }
      if (fs.exists(target)) {
        LOG.warn("Removing unpublished debris of an interrupted publication: {}", target);
        fs.delete(target, true);
      }
      fs.mkdirs(collection);
      AtomicFiles.move(fs, staged, target);
      AtomicFiles.create(fs, new Path(target, recordName), record);
      replaceLatest(id);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot publish '" + id + "' at " + target, e);
    }
  }

  /** Removes a staging directory (after a failure, or a no-op re-run). */
  public void discard(Path staged) {
    try {
      fs.delete(staged, true);
    } catch (IOException e) {
      LOG.warn("Cannot remove staging {}: {}", staged, e.toString());
    }
  }

  public Optional<byte[]> readRecord(String id) {
    Path p = new Path(path(id), recordName);
    try (InputStream in = fs.open(p)) {
      return Optional.of(in.readAllBytes());
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + p, e);
    }
  }

  /** Published ids, oldest record first. */
  public List<String> publishedIds() {
    List<FileStatus> records = new ArrayList<>();
    try {
      if (!fs.exists(collection)) {
        return List.of();
      }
      for (FileStatus dir : fs.listStatus(collection)) {
        String name = dir.getPath().getName();
        if (dir.isDirectory() && !name.startsWith("_") && !name.startsWith(".")) {
          Path record = new Path(dir.getPath(), recordName);
          if (fs.exists(record)) {
            records.add(fs.getFileStatus(record));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + collection, e);
    }
    records.sort(
        Comparator.comparingLong(FileStatus::getModificationTime)
            .thenComparing(s -> s.getPath().getParent().getName()));
    return records.stream().map(s -> s.getPath().getParent().getName()).toList();
  }

  /** The id published last: the pointer if it names a published id, else the newest record. */
  public Optional<String> latest() {
    Path pointer = new Path(collection, LATEST);
    try (InputStream in = fs.open(pointer)) {
      String id = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      if (isPublished(id)) {
        return Optional.of(id);
      }
    } catch (FileNotFoundException e) {
      // fall back to listing
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + pointer, e);
    }
    List<String> ids = publishedIds();
    return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(ids.size() - 1));
  }

  private void replaceLatest(String id) {
    Path pointer = new Path(collection, LATEST);
    try {
      // while the pointer is briefly absent, readers fall back to listing
      AtomicFiles.replaceFile(fs, pointer, (id + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("Cannot update {} ({}); readers fall back to the newest record", pointer, e);
    }
  }

  private boolean exists(Path p) {
    try {
      return fs.exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check " + p, e);
    }
  }
}
