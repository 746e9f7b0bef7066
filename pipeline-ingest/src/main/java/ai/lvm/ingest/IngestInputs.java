package ai.lvm.ingest;

import ai.lvm.config.InvalidInputException;
import ai.lvm.ingest.IngestConfig.Format;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Driver-side resolution of {@code lvm.ingest.input}: which format it is and which files it holds.
 * Listing happens once on the driver (a few thousand names at most for document sets); the files'
 * contents are read by Spark tasks.
 */
final class IngestInputs {
  private static final List<String> JSONL_SUFFIXES = List.of(".jsonl", ".ndjson");

  /**
   * One input file.
   *
   * @param path the qualified path, for tasks to open
   * @param relative the path below the input directory with '/' separators (the doc_id of a text
   *     file), or the file name when the input is one file
   */
  record InputFile(String path, String relative) {}

  private IngestInputs() {}

  /**
   * The format of the input: the configured one, or for {@code auto}: {@code *.npz} is NPZ; a
   * {@code *.jsonl} / {@code *.ndjson} file, or a directory whose files include such files and no
   * text files, is JSON Lines; anything else is a directory of text files.
   */
  static Format resolve(Format configured, Path input, Configuration conf) {
    if (configured != Format.AUTO) {
      return configured;
    }
    String name = input.getName().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npz")) {
      return Format.NPZ;
    }
    if (JSONL_SUFFIXES.stream().anyMatch(name::endsWith)) {
      return Format.JSONL;
    }
    boolean jsonl = false;
    boolean text = false;
    for (InputFile f : listAll(input, conf)) {
      String n = f.relative().toLowerCase(Locale.ROOT);
      jsonl |= JSONL_SUFFIXES.stream().anyMatch(n::endsWith);
      text |= Markup.kindOf(n) != null;
    }
    return jsonl && !text ? Format.JSONL : Format.TEXT;
  }

  /**
   * The files to read, sorted by relative path: for JSON Lines every visible file (a directory of
   * parts), for text only the files whose names {@link Markup#kindOf} knows.
   */
  static List<InputFile> list(Format format, Path input, Configuration conf) {
    List<InputFile> all = listAll(input, conf);
    List<InputFile> out =
        format == Format.TEXT
            ? all.stream().filter(f -> Markup.kindOf(f.relative()) != null).toList()
            : all;
    if (out.isEmpty()) {
      throw new InvalidInputException(
          "Cannot ingest '"
              + input
              + "': it holds no "
              + (format == Format.TEXT ? "text files (.txt, .md, .rst, .rst.txt)" : "files")
              + (all.isEmpty() ? "" : " (it holds " + all.size() + " other files)")
              + ".");
    }
    return out;
  }

  private static List<InputFile> listAll(Path input, Configuration conf) {
    try {
      FileSystem fs = input.getFileSystem(conf);
      if (!fs.exists(input)) {
        throw new InvalidInputException(
            "Cannot ingest '" + input + "': it does not exist. Check lvm.ingest.input.");
      }
      FileStatus status = fs.getFileStatus(input);
      Path root = fs.makeQualified(input);
      if (status.isFile()) {
        return List.of(new InputFile(root.toString(), root.getName()));
      }
      String prefix = root.toUri().getPath().replaceAll("/+$", "") + "/";
      List<InputFile> out = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        String path = f.getPath().toUri().getPath();
        String relative = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
        if (isHidden(relative)) {
          continue;
        }
        out.add(new InputFile(f.getPath().toString(), relative));
      }
      out.sort(Comparator.comparing(InputFile::relative));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + input, e);
    }
  }

  /** Hidden files and directories ('.', '_') are Hadoop's and editors' metadata, not documents. */
  private static boolean isHidden(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith(".") || part.startsWith("_")) {
        return true;
      }
    }
    return false;
  }
}
