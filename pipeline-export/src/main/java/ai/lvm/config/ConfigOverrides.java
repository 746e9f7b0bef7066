package ai.lvm.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.Map;

/**
 * Turns {@code --set key=value} pairs into a config layer.
 *
 * <p>A value is read as HOCON where it is a number, a boolean, a list, an object or a quoted string
 * ({@code [100,500]}, {@code 0.03}, {@code true}); anything else is taken verbatim as a plain
 * string. That keeps paths and URIs such as {@code s3a://bucket/x} or {@code hdfs://nn:8020/lvm}
 * intact, where HOCON alone would read {@code //} as the start of a comment.
 */
final class ConfigOverrides {
  private ConfigOverrides() {}

  static Config parse(Map<String, String> overrides) {
    Config out = ConfigFactory.empty();
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      out = out.withValue(checkedPath(e.getKey()), valueOf(e.getValue()));
    }
    return out;
  }

  static ConfigValue valueOf(String raw) {
    String text = raw.strip();
    try {
      ConfigValue parsed = ConfigFactory.parseString("v = " + text).getValue("v");
      boolean structured = parsed.valueType() != ConfigValueType.STRING || text.startsWith("\"");
      if (structured && parsed.valueType() != ConfigValueType.NULL) {
        return parsed;
      }
      if (parsed.valueType() == ConfigValueType.NULL) {
        return ConfigValueFactory.fromAnyRef(null);
      }
    } catch (ConfigException e) {
      // Not HOCON: a plain string, e.g. hdfs://nn:8020/lvm.
    }
    return ConfigValueFactory.fromAnyRef(raw);
  }

  private static String checkedPath(String key) {
    try {
      ConfigFactory.empty().hasPath(key);
      return key;
    } catch (ConfigException e) {
      throw new InvalidInputException(
          "Invalid key in --set: '"
              + key
              + "' is not a config path (expected e.g. lvm.export.stride).");
    }
  }
}
