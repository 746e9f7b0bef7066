package ai.lvm.format;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Directories whose contents are replaced in place and read through a manifest: the one way a
 * result-table partition (and a report) is published safely on every store, object stores included.
 * Rules, numbered as {@link Publisher}'s:
 *
 * <ol>
 *   <li>A committed directory holds a manifest {@code _committed-<n>.json} (the underscore hides it
 *       from Spark and Hive) listing exactly its committed files; the highest {@code n} is the
 *       current one. Each manifest is a new object, created whole (a hidden write and a one-file
 *       rename, {@link AtomicFiles#create}), never rewritten: there is no moment without one.
 *   <li>Data files get write-unique names (Spark's {@code part-<n>-<job uuid>}). On an object store
 *       they are moved into the directory beside the committed ones, file by file: no directory
 *       rename ({@link Mode#IN_PLACE}). Where a directory rename is atomic, the staged directory,
 *       its manifest inside, replaces the old one whole ({@link Mode#SWAP}).
 *   <li>{@link #commit} creates manifest {@code n + 1}, then deletes every other file of the
 *       directory (the previous manifest, the superseded files, debris of a crashed attempt).
 *   <li>Before the first new file enters a directory it has a manifest: a new directory gets an
 *       empty one, and a directory written by an earlier release (files, no manifest) one listing
 *       its files as they are ({@link #prepare}).
 *   <li>Readers through the manifest ({@link #readable}, {@link #read}) read only the files the
 *       current manifest lists. A directory without a manifest (an earlier release's, or a table
 *       whose files are atomic on their own) is read whole, as before.
 * </ol>
 *
 * <p>So a reader through the manifest sees the old files or the new ones, never a part and never
 * both, on any store: nothing but a single-object create decides the switch, and that is atomic on
 * S3A and GCS as on HDFS. A job that dies before the commit leaves the old manifest current and its
 * own files as debris, which the next commit deletes. A query that overlaps a commit can fail (a
 * superseded file deleted under it; re-run it), never return a mix. Plain Parquet readers that list
 * the directory see the same where the directory is swapped (HDFS, local files); on an object store
 * they see old and new files together between the moves and the commit (seconds), and after a job
 * that died in between until the next commit. One writer per directory at a time is the caller's
 * contract: where rename refuses to overwrite (HDFS, S3A) a second writer's commit of the same
 * number fails, but a local file system's rename overwrites, so it is not detected everywhere.
 */
public final class CommittedFiles {
  private static final Logger LOG = LoggerFactory.getLogger(CommittedFiles.class);
  static final String PREFIX = "_committed-";
  static final String SUFFIX = ".json";
  private static final int FORMAT = 1;

  /** The manifest's content: the directory's committed file names, relative to it. */
  record Manifest(int format, List<String> files) {}

  private CommittedFiles() {}

  /** The name of manifest number {@code n}: zero-padded, so names sort as numbers. */
  static String manifestName(long n) {
    return String.format("%s%010d%s", PREFIX, n, SUFFIX);
  }

  /**
   * The files committed in {@code dir}, by name, or empty when {@code dir} has no manifest (a
   * directory of an earlier release, or no directory).
   */
  public static Optional<List<String>> committed(FileSystem fs, Path dir) throws IOException {
    Optional<Path> current = currentManifest(list(fs, dir));
    if (current.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(readManifest(fs, current.get()).files());
  }

  /**
   * Gives {@code dir} a manifest if it has none, before a writer adds files to it: an empty one for
   * a new directory, else one listing its visible files as an earlier release left them.
   */
  public static void prepare(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> entries = list(fs, dir);
    if (currentManifest(entries).isPresent()) {
      return;
    }
    List<String> existing = new ArrayList<>();
    for (FileStatus s : entries) {
      if (s.isFile() && visible(s.getPath().getName())) {
        existing.add(s.getPath().getName());
      }
    }
    if (!existing.isEmpty()) {
      LOG.info("Adopting the {} files of {} into its first manifest", existing.size(), dir);
    }
    fs.mkdirs(dir);
    createManifest(fs, dir, 1, existing);
  }

  /**
   * Makes {@code files} (names in {@code dir}, all present) the directory's committed files:
   * creates the next manifest, then deletes everything else in {@code dir}.
   */
  public static void commit(FileSystem fs, Path dir, List<String> files) throws IOException {
    List<FileStatus> entries = list(fs, dir);
    Set<String> present = new HashSet<>();
    entries.forEach(s -> present.add(s.getPath().getName()));
    for (String f : files) {
      if (!visible(f) || f.contains("/")) {
        throw new IllegalArgumentException(
            "Cannot commit '" + f + "' in " + dir + ": a committed file is a visible plain name");
      }
      if (!present.contains(f)) {
        throw new IOException(
            "Cannot commit " + dir + ": '" + f + "' is not there (move the files in first)");
      }
    }
    String manifest = createManifest(fs, dir, nextNumber(entries), files);
    Set<String> keep = new HashSet<>(files);
    keep.add(manifest);
    for (FileStatus s : entries) {
      String name = s.getPath().getName();
      if (!keep.contains(name) && !name.startsWith(".")) {
        // A checksum sidecar (.name.crc on a local file system) goes with its file.
        fs.delete(s.getPath(), true);
      }
    }
  }

  /**
   * How {@link #replace} switches a directory to its new files, by what the store's directory
   * rename is.
   */
  public enum Mode {
    /**
     * One directory rename swaps the whole directory ({@link AtomicFiles#replaceDirectory}), the
     * staged copy already holding its manifest: where that rename is one atomic metadata operation
     * (HDFS, local files, ADLS Gen2 with hierarchical namespace), so readers that list the
     * directory themselves (plain Parquet, a Hive metastore table) see the old files or the new,
     * never both, as readers through the manifest do.
     */
    SWAP,
    /**
     * The new files moved in one by one beside the old, then the manifest that switches them
     * ({@link #commit}): where a directory rename is a copy of each object (S3A, GCS, other object
     * stores), so a swap would be seen half-copied by everyone, while a one-file move is one object
     * created whole.
     */
    IN_PLACE;

    /** Object stores' schemes: their directory rename copies object by object. */
    private static final Set<String> OBJECT_STORES =
        Set.of("s3a", "s3", "s3n", "gs", "oss", "cosn", "obs", "wasb", "wasbs");

    /** {@link #IN_PLACE} on an object store, {@link #SWAP} elsewhere. */
    public static Mode of(FileSystem fs) {
      return ofScheme(fs.getUri().getScheme());
    }

    /** The mode of a file system URI scheme ({@code s3a}, {@code hdfs}, {@code file}...). */
    public static Mode ofScheme(String scheme) {
      return scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(java.util.Locale.ROOT))
          ? IN_PLACE
          : SWAP;
    }
  }

  /**
   * Replaces the committed files of {@code target} with the visible files of the directory {@code
   * staged} (whose names must be write-unique, as Spark's are), as the store's {@link Mode} says;
   * {@code staged} is gone afterwards.
   */
  public static void replace(FileSystem fs, Path staged, Path target) throws IOException {
    replace(fs, staged, target, Mode.of(fs));
  }

  /** {@link #replace} in a given mode (tests run the object-store path on local files). */
  public static void replace(FileSystem fs, Path staged, Path target, Mode mode)
      throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus s : list(fs, staged)) {
      String name = s.getPath().getName();
      if (s.isFile() && visible(name)) {
        names.add(name);
      }
    }
    if (mode == Mode.SWAP) {
      // Numbered on from the old directory's manifest, so numbers only grow at a path.
      createManifest(fs, staged, nextNumber(list(fs, target)), names);
      AtomicFiles.replaceDirectory(fs, staged, target);
      return;
    }
    prepare(fs, target);
    for (String name : names) {
      AtomicFiles.move(fs, new Path(staged, name), new Path(target, name));
    }
    commit(fs, target, names);
    fs.delete(staged, true);
  }

  /**
   * Removes the directory {@code dir}: an empty manifest first, so a reader through the manifest
   * sees no rows at once rather than a directory being deleted file by file.
   */
  public static void remove(FileSystem fs, Path dir) throws IOException {
    if (!fs.exists(dir)) {
      return;
    }
    prepare(fs, dir);
    commit(fs, dir, List.of());
    fs.delete(dir, true);
  }

  /**
   * Deletes the manifests of {@code dir}, for a directory whose readers take "a manifest exists" to
   * mean "the directory is whole" (a report): done before the directory is replaced by a rename,
   * which on S3A and GCS removes the old files one by one.
   */
  public static void withdraw(FileSystem fs, Path dir) throws IOException {
    for (FileStatus s : list(fs, dir)) {
      if (isManifest(s.getPath().getName())) {
        fs.delete(s.getPath(), false);
      }
    }
  }

  /**
   * The files a reader of the table under {@code table} reads: per directory the files its current
   * manifest lists, or every visible file where it has none; nothing under a hidden directory
   * ({@code _staging}, ...). Empty when there is no table.
   */
  public static List<Path> readable(FileSystem fs, Path table) throws IOException {
    if (!fs.exists(table)) {
      return List.of();
    }
    // Directory by directory, as Spark lists a table, not descending into hidden ones.
    Map<Path, List<FileStatus>> byDir = new TreeMap<>();
    List<Path> pending = new ArrayList<>(List.of(fs.makeQualified(table)));
    while (!pending.isEmpty()) {
      Path d = pending.remove(pending.size() - 1);
      for (FileStatus s : list(fs, d)) {
        if (s.isDirectory()) {
          if (visible(s.getPath().getName())) {
            pending.add(s.getPath());
          }
        } else {
          byDir.computeIfAbsent(d, k -> new ArrayList<>()).add(s);
        }
      }
    }
    List<Path> out = new ArrayList<>();
    for (Map.Entry<Path, List<FileStatus>> d : byDir.entrySet()) {
      Optional<Path> manifest = currentManifest(d.getValue());
      if (manifest.isPresent()) {
        for (String f : readManifest(fs, manifest.get()).files()) {
          out.add(new Path(d.getKey(), f));
        }
      } else {
        for (FileStatus f : d.getValue()) {
          if (visible(f.getPath().getName())) {
            out.add(f.getPath());
          }
        }
      }
    }
    return out;
  }

  /**
   * The Parquet table under {@code table} as read through the manifests ({@link #readable}),
   * partition columns from the directory names, files of earlier releases merged in (their missing
   * columns null); empty when it has no committed file.
   */
  public static Optional<Dataset<Row>> read(SparkSession spark, Path table) {
    List<Path> files;
    Path base;
    try {
      FileSystem fs = table.getFileSystem(spark.sparkContext().hadoopConfiguration());
      files = readable(fs, table);
      base = fs.makeQualified(table);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the committed files of " + table, e);
    }
    if (files.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        spark
            .read()
            .option("mergeSchema", "true")
            .option("basePath", base.toString())
            .parquet(files.stream().map(Path::toString).toArray(String[]::new)));
  }

  private static boolean visible(String name) {
    return !name.startsWith("_") && !name.startsWith(".");
  }

  private static List<FileStatus> list(FileSystem fs, Path dir) throws IOException {
    try {
      return List.of(fs.listStatus(dir));
    } catch (FileNotFoundException e) {
      return List.of();
    }
  }

  /** Creates manifest {@code n} of {@code dir}, listing {@code files}, whole; its name. */
  private static String createManifest(FileSystem fs, Path dir, long n, List<String> files)
      throws IOException {
    String name = manifestName(n);
    AtomicFiles.create(fs, new Path(dir, name), Json.write(new Manifest(FORMAT, files)));
    return name;
  }

  /** The number after the current manifest's among {@code entries} (1 where there is none). */
  private static long nextNumber(List<FileStatus> entries) {
    return currentManifest(entries).map(CommittedFiles::number).orElse(0L) + 1;
  }

  /** The highest-numbered manifest among {@code entries}. */
  private static Optional<Path> currentManifest(List<? extends FileStatus> entries) {
    Path best = null;
    for (FileStatus s : entries) {
      String name = s.getPath().getName();
      if (isManifest(name) && (best == null || number(s.getPath()) > number(best))) {
        best = s.getPath();
      }
    }
    return Optional.ofNullable(best);
  }

  private static boolean isManifest(String name) {
    return name.startsWith(PREFIX)
        && name.endsWith(SUFFIX)
        && name.substring(PREFIX.length(), name.length() - SUFFIX.length()).matches("[0-9]+");
  }

  private static long number(Path manifest) {
    String name = manifest.getName();
    return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
  }

  private static Manifest readManifest(FileSystem fs, Path manifest) throws IOException {
    try (InputStream in = fs.open(manifest)) {
      Manifest m = Json.read(in.readAllBytes(), Manifest.class);
      if (m.files() == null) {
        throw new IOException("The manifest " + manifest + " lists no 'files': it is not ours");
      }
      return m;
    }
  }
}
