package ai.lvm.format;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Where window snapshots live under {@code lvm.root}:
 *
 * <pre>
 * &lt;root&gt;/windows/_LATEST                                   id of the snapshot published last
 * &lt;root&gt;/windows/_staging/...                              unpublished work, invisible
 * &lt;root&gt;/windows/&lt;id&gt;/manifest.json                      written last: the snapshot exists
 * &lt;root&gt;/windows/&lt;id&gt;/data/context_size=&lt;C&gt;/split=&lt;s&gt;/  Parquet windows ({@link WindowSchema})
 * </pre>
 */
public final class SnapshotLayout {
  public static final String WINDOWS = "windows";
  public static final String DATA = "data";

  private final Path windows;

  public SnapshotLayout(String root) {
    this.windows = new Path(new Path(root), WINDOWS);
  }

  public Path windows() {
    return windows;
  }

  public Publisher publisher(Configuration hadoopConf) {
    return new Publisher(windows, SnapshotManifest.FILE_NAME, hadoopConf);
  }

  /** The data directory of one context size and split, relative to the snapshot directory. */
  public static String dataPath(int contextSize, Split split) {
    return DATA + "/context_size=" + contextSize + "/split=" + split.id();
  }
}
