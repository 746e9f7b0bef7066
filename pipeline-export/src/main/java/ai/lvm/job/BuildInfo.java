package ai.lvm.job;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of the pipeline code, recorded in every manifest and {@code training_runs} row
 * (provenance): the release and the git commit it was built from, e.g. {@code lvm-pipeline
 * 0.1.0-SNAPSHOT (commit 3b0d8a1c2f4e)}, with {@code -dirty} when the checkout had uncommitted
 * changes, and {@code commit unknown} when it was built outside a git checkout.
 */
public final class BuildInfo {
  private static final String VERSION = load();

  private BuildInfo() {}

  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("/lvm-build.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return describe(p.getProperty("version"), p.getProperty("commit"), p.getProperty("dirty"));
    } catch (IOException e) {
      return "lvm-pipeline unknown";
    }
  }

  /** The version line from the build's properties (unfiltered placeholders count as unknown). */
  static String describe(String version, String commit, String dirty) {
    String release = known(version) ? version : "unknown";
    String build =
        known(commit)
            ? "commit " + commit + ("true".equals(dirty) ? "-dirty" : "")
            : "commit unknown";
    return "lvm-pipeline " + release + " (" + build + ")";
  }

  private static boolean known(String value) {
    return value != null && !value.isBlank() && !value.startsWith("${");
  }
}
