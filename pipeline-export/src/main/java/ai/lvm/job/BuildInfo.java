package ai.lvm.job;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the pipeline code, recorded in every manifest (provenance). */
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
      return "lvm-pipeline " + p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "lvm-pipeline unknown";
    }
  }
}
