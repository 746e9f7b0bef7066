package ai.lvm.eval;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Replacing a published directory by a complete staged one, on any Hadoop FileSystem. */
final class Directories {
  private Directories() {}

  /**
   * Moves {@code staged} to {@code target}, replacing what was there: the old directory is renamed
   * aside (to a {@code _}-prefixed sibling, which Spark and Hive skip when listing) and deleted
   * after the new one is in place. A reader sees the old directory or the new one, never a mix; a
   * crash between the two renames leaves the target briefly absent and the old copy aside.
   */
  static void replace(FileSystem fs, Path staged, Path target) throws IOException {
    fs.mkdirs(target.getParent());
    Path old = new Path(target.getParent(), "_old-" + target.getName() + "-" + UUID.randomUUID());
    if (fs.exists(target) && !fs.rename(target, old)) {
      throw new IOException("rename " + target + " -> " + old + " returned false");
    }
    if (!fs.rename(staged, target)) {
      throw new IOException("rename " + staged + " -> " + target + " returned false");
    }
    fs.delete(old, true);
  }
}
