package ai.lvm.job;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop settings as a serializable map, for code that runs inside Spark tasks and
 * opens files itself (checkpoints, window files): Hadoop's {@link Configuration} is not
 * serializable, and a fresh one on an executor would miss the credentials and file-system settings
 * given to the session.
 */
public final class HadoopSettings {
  private HadoopSettings() {}

  public static HashMap<String, String> of(Configuration conf) {
    HashMap<String, String> settings = new HashMap<>();
    conf.forEach(e -> settings.put(e.getKey(), e.getValue()));
    return settings;
  }

  public static Configuration toConfiguration(Map<String, String> settings) {
    Configuration conf = new Configuration();
    settings.forEach(conf::set);
    return conf;
  }
}
