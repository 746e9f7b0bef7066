package ai.lvm.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The pipeline's configuration: HOCON under {@code lvm.*}.
 *
 * <p>Precedence, highest first: {@code --set key=value} overrides, then the {@code --config} file,
 * then the {@code reference.conf} of every module on the classpath (which documents every key and
 * its default). Substitutions such as {@code ${lvm.root}} resolve after merging, so a default that
 * derives from the root follows an overridden root.
 *
 * <p>Typed getters fail with an {@link InvalidInputException} that names the key, the value and
 * what was expected; {@link #rejectUnknownKeys} fails on keys no module declares, before any work.
 */
public final class LvmConfig {

  /** Every stage namespace under {@code lvm.}; each job validates its own. */
  public static final Set<String> STAGES =
      Set.of("spark", "generate", "export", "ingest", "train", "eval", "sql", "demo", "bench");

  private final Config config;
  private final Config reference;

  private LvmConfig(Config config, Config reference) {
    this.config = config;
    this.reference = reference;
  }

  /** Loads reference, then the optional file, then the overrides (as from the command line). */
  public static LvmConfig load(Optional<File> file, Map<String, String> overrides) {
    Config reference = reference();
    Config fileConfig = ConfigFactory.empty();
    if (file.isPresent()) {
      File f = file.get();
      if (!f.isFile()) {
        throw new InvalidInputException(
            "Cannot read config file '" + f + "': it does not exist. Pass an existing HOCON file.");
      }
      try {
        fileConfig =
            ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw new InvalidInputException("Invalid config file '" + f + "': " + e.getMessage(), e);
      }
    }
    Config merged =
        ConfigOverrides.parse(overrides).withFallback(fileConfig).withFallback(reference);
    try {
      return new LvmConfig(merged.resolve(), reference.resolve());
    } catch (ConfigException e) {
      throw new InvalidInputException("Invalid configuration: " + e.getMessage(), e);
    }
  }

  /** Reference defaults plus overrides: the programmatic entry point used by tests. */
  public static LvmConfig of(Map<String, ?> overrides) {
    Map<String, String> asText = new LinkedHashMap<>();
    Config values = ConfigFactory.empty();
    for (Map.Entry<String, ?> e : overrides.entrySet()) {
      if (e.getValue() instanceof String s) {
        asText.put(e.getKey(), s);
      } else {
        values =
            values.withValue(
                e.getKey(), com.typesafe.config.ConfigValueFactory.fromAnyRef(e.getValue()));
      }
    }
    Config reference = reference();
    Config merged =
        values.withFallback(ConfigOverrides.parse(asText)).withFallback(reference).resolve();
    return new LvmConfig(merged, reference.resolve());
  }

  private static Config reference() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = LvmConfig.class.getClassLoader();
    }
    return ConfigFactory.parseResources(loader, "reference.conf");
  }

  /**
   * Fails on any key under {@code lvm.} that no reference.conf declares, within {@code lvm.root}
   * and the given stages. Keys of other known stages are left to their jobs (a shared file may
   * configure the whole nightly chain); an unknown stage name fails too.
   */
  public void rejectUnknownKeys(Collection<String> stages) {
    Set<String> known = leafPaths(reference.getObject("lvm"), "lvm", true);
    Set<String> openMaps = openMapPaths(reference.getObject("lvm"), "lvm");
    if (!config.hasPath("lvm")) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (String path : leafPaths(config.getObject("lvm"), "lvm", true)) {
      String[] parts = path.split("\\.", 3);
      String stage = parts.length > 2 ? parts[1] : null;
      if (stage != null && STAGES.contains(stage) && !stages.contains(stage)) {
        continue;
      }
      if (known.contains(path) || openMaps.stream().anyMatch(m -> path.startsWith(m + "."))) {
        continue;
      }
      problems.add(unknownKeyMessage(path, known));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(String.join("\n", problems));
    }
  }

  private static String unknownKeyMessage(String path, Set<String> known) {
    String nearest =
        known.stream().min(Comparator.comparingInt(k -> editDistance(k, path))).orElse(null);
    String hint =
        nearest != null && editDistance(nearest, path) <= Math.max(3, path.length() / 5)
            ? " Did you mean '" + nearest + "'?"
            : "";
    String prefix = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : path;
    Set<String> siblings =
        known.stream()
            .filter(k -> k.startsWith(prefix + "."))
            .collect(Collectors.toCollection(TreeSet::new));
    String list = siblings.isEmpty() ? "" : " Known keys under " + prefix + ": " + siblings + ".";
    return "Unknown configuration key '" + path + "'." + hint + list;
  }

  private static Set<String> leafPaths(ConfigObject object, String prefix, boolean includeNulls) {
    Set<String> out = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      String path = prefix + "." + quoteIfNeeded(e.getKey());
      ConfigValue v = e.getValue();
      if (v instanceof ConfigObject child && !child.isEmpty()) {
        out.addAll(leafPaths(child, path, includeNulls));
      } else if (includeNulls || v.valueType() != ConfigValueType.NULL) {
        out.add(path);
      }
    }
    return out;
  }

  /** Empty objects in reference.conf are free-form maps (e.g. extra Spark settings). */
  private static Set<String> openMapPaths(ConfigObject object, String prefix) {
    Set<String> out = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      String path = prefix + "." + quoteIfNeeded(e.getKey());
      if (e.getValue() instanceof ConfigObject child) {
        if (child.isEmpty()) {
          out.add(path);
        } else {
          out.addAll(openMapPaths(child, path));
        }
      }
    }
    return out;
  }

  private static String quoteIfNeeded(String key) {
    return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  // ---- typed getters: each failure names the key, the value and what was expected ----

  public boolean isSet(String key) {
    return config.hasPath(key);
  }

  public String string(String key) {
    return requireType(key, ConfigValueType.STRING, "a string").unwrapped().toString();
  }

  /** A string that may be unset (null in reference.conf) or empty. */
  public Optional<String> optionalString(String key) {
    if (!config.hasPath(key)) {
      return Optional.empty();
    }
    String s = string(key);
    return s.isBlank() ? Optional.empty() : Optional.of(s);
  }

  /** A required non-empty string. */
  public String requiredString(String key, String fix) {
    return optionalString(key)
        .orElseThrow(() -> new InvalidInputException("Missing required key '" + key + "': " + fix));
  }

  public boolean bool(String key) {
    ConfigValue v = value(key);
    if (v.valueType() == ConfigValueType.BOOLEAN) {
      return (Boolean) v.unwrapped();
    }
    throw invalid(key, v, "true or false");
  }

  public long longInRange(String key, long min, long max) {
    ConfigValue v = value(key);
    if (v.valueType() == ConfigValueType.NUMBER) {
      Number n = (Number) v.unwrapped();
      if (n.doubleValue() == Math.rint(n.doubleValue())
          && n.longValue() >= min
          && n.longValue() <= max) {
        return n.longValue();
      }
    }
    throw invalid(key, v, "an integer in [" + min + ", " + max + "]");
  }

  public int intInRange(String key, int min, int max) {
    return (int) longInRange(key, min, max);
  }

  public double doubleInRange(String key, double min, double max) {
    ConfigValue v = value(key);
    if (v.valueType() == ConfigValueType.NUMBER) {
      double d = ((Number) v.unwrapped()).doubleValue();
      if (d >= min && d <= max) {
        return d;
      }
    }
    throw invalid(key, v, "a number in [" + min + ", " + max + "]");
  }

  /** A number that is off when unset (null). */
  public OptionalDouble optionalDouble(String key, double min, double max) {
    return config.hasPath(key)
        ? OptionalDouble.of(doubleInRange(key, min, max))
        : OptionalDouble.empty();
  }

  /** A non-empty list of distinct integers in range, kept in the order given. */
  public List<Integer> intList(String key, int min, int max) {
    ConfigValue v = value(key);
    if (v instanceof ConfigList list && !list.isEmpty()) {
      List<Integer> out = new ArrayList<>();
      for (ConfigValue item : list) {
        if (item.valueType() != ConfigValueType.NUMBER) {
          throw invalid(key, v, "a non-empty list of integers in [" + min + ", " + max + "]");
        }
        double d = ((Number) item.unwrapped()).doubleValue();
        if (d != Math.rint(d) || d < min || d > max) {
          throw invalid(key, v, "a non-empty list of integers in [" + min + ", " + max + "]");
        }
        if (out.contains((int) d)) {
          throw invalid(key, v, "a list without repeated values");
        }
        out.add((int) d);
      }
      return List.copyOf(out);
    }
    throw invalid(
        key, v, "a non-empty list of integers in [" + min + ", " + max + "], e.g. [100, 500]");
  }

  /** A non-empty list of distinct words, each one of {@code allowed}, in the order given. */
  public List<String> wordList(String key, Collection<String> allowed) {
    ConfigValue v = value(key);
    String expected = "a non-empty list of distinct values from " + new TreeSet<>(allowed);
    if (!(v instanceof ConfigList list) || list.isEmpty()) {
      throw invalid(key, v, expected);
    }
    List<String> out = new ArrayList<>();
    for (ConfigValue item : list) {
      Object word = item.unwrapped();
      if (!(word instanceof String w) || !allowed.contains(w) || out.contains(w)) {
        throw invalid(key, v, expected);
      }
      out.add(w);
    }
    return List.copyOf(out);
  }

  /** A non-empty list of distinct non-blank strings (e.g. run ids), in the order given. */
  public List<String> stringList(String key) {
    ConfigValue v = value(key);
    String expected = "a non-empty list of distinct strings, e.g. [\"run-a\", \"run-b\"]";
    if (!(v instanceof ConfigList list) || list.isEmpty()) {
      throw invalid(key, v, expected);
    }
    List<String> out = new ArrayList<>();
    for (ConfigValue item : list) {
      if (!(item.unwrapped() instanceof String w) || w.isBlank() || out.contains(w)) {
        throw invalid(key, v, expected);
      }
      out.add(w);
    }
    return List.copyOf(out);
  }

  /** A non-empty list of distinct integers (e.g. seeds), in the order given. */
  public List<Long> longList(String key) {
    ConfigValue v = value(key);
    if (v instanceof ConfigList list && !list.isEmpty()) {
      List<Long> out = new ArrayList<>();
      for (ConfigValue item : list) {
        if (!(item.unwrapped() instanceof Number n)
            || n.doubleValue() != Math.rint(n.doubleValue())
            || out.contains(n.longValue())) {
          throw invalid(key, v, "a non-empty list of distinct integers, e.g. [42, 43]");
        }
        out.add(n.longValue());
      }
      return List.copyOf(out);
    }
    throw invalid(key, v, "a non-empty list of distinct integers, e.g. [42, 43]");
  }

  /** One of a fixed set of lower-case words, mapped to an enum constant by name. */
  public <E extends Enum<E>> E choice(String key, Class<E> type) {
    ConfigValue v = value(key);
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      String name = e.name().toLowerCase(Locale.ROOT).replace('_', '-');
      allowed.add(name);
      if (v.valueType() == ConfigValueType.STRING && name.equals(v.unwrapped())) {
        return e;
      }
    }
    throw invalid(key, v, "one of " + allowed);
  }

  /** A map of string keys to scalar values rendered as strings (e.g. extra Spark settings). */
  public Map<String, String> stringMap(String key) {
    Map<String, String> out = new TreeMap<>();
    if (!config.hasPath(key)) {
      return out;
    }
    ConfigValue v = value(key);
    if (!(v instanceof ConfigObject object)) {
      throw invalid(key, v, "an object of settings, e.g. { \"spark.sql.shuffle.partitions\" = 8 }");
    }
    for (Map.Entry<String, Object> e : object.unwrapped().entrySet()) {
      out.put(e.getKey(), String.valueOf(e.getValue()));
    }
    return out;
  }

  /** A map of string keys to numbers (e.g. split fractions). */
  public Map<String, Double> doubleMap(String key) {
    ConfigValue v = value(key);
    if (!(v instanceof ConfigObject object)) {
      throw invalid(key, v, "an object of numbers");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      if (e.getValue().valueType() != ConfigValueType.NUMBER) {
        throw invalid(key + "." + e.getKey(), e.getValue(), "a number");
      }
      out.put(e.getKey(), ((Number) e.getValue().unwrapped()).doubleValue());
    }
    return out;
  }

  /** The value at {@code key} rendered as HOCON, for messages and manifests. */
  public String render(String key) {
    return config.hasPath(key) ? value(key).render(ConfigRenderOptions.concise()) : "null";
  }

  /**
   * One value of a list-valued map entry (a grid): as written (for names) and as plain Java (to set
   * with {@link #with}).
   */
  public record Choice(String text, Object value) {}

  /**
   * An object whose entries are non-empty lists of distinct values (e.g. {@code lvm.train.grid {
   * learning-rate = [1e-4, 3e-4] }}), entries in key order; empty when unset.
   */
  public Map<String, List<Choice>> listMap(String key) {
    if (!config.hasPath(key)) {
      return Map.of();
    }
    ConfigValue object = value(key);
    if (!(object instanceof ConfigObject entries)) {
      throw invalid(key, object, "an object of lists, e.g. { learning-rate = [1e-4, 3e-4] }");
    }
    Map<String, List<Choice>> out = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : entries.entrySet()) {
      String entryKey = key + "." + quoteIfNeeded(e.getKey());
      if (!(e.getValue() instanceof ConfigList list) || list.isEmpty()) {
        throw invalid(entryKey, e.getValue(), "a non-empty list of values, e.g. [1e-4, 3e-4]");
      }
      List<Choice> choices = new ArrayList<>();
      Set<Object> seen = new java.util.HashSet<>();
      for (ConfigValue v : list) {
        if (!seen.add(v.unwrapped())) {
          throw invalid(
              entryKey,
              list,
              "distinct values; " + v.render(ConfigRenderOptions.concise()) + " is listed twice");
        }
        Object plain = v.unwrapped();
        // plain decimals, so 3e-4 names a run as 0.0003, never 3.0E-4
        String text =
            plain instanceof Double d
                ? java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString()
                : plain instanceof String str ? str : v.render(ConfigRenderOptions.concise());
        choices.add(new Choice(text, v.unwrapped()));
      }
      out.put(e.getKey(), List.copyOf(choices));
    }
    return out;
  }

  /**
   * This configuration with {@code key} set to {@code value} (plain Java, as from {@link Choice}).
   */
  public LvmConfig with(String key, Object value) {
    return new LvmConfig(
        config.withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef(value)), reference);
  }

  /** Whether a module's reference.conf declares {@code key} (with a default or null). */
  public boolean isDeclared(String key) {
    return reference.hasPathOrNull(key);
  }

  /** The resolved subtree at {@code key} as plain Java maps and lists, for manifests. */
  public Map<String, Object> subtree(String key) {
    return config.hasPath(key) ? config.getObject(key).unwrapped() : Map.of();
  }

  private ConfigValue requireType(String key, ConfigValueType type, String expected) {
    ConfigValue v = value(key);
    if (v.valueType() == type) {
      return v;
    }
    // Numbers and booleans are acceptable strings (a snapshot id of 2026 is the text "2026").
    if (type == ConfigValueType.STRING
        && (v.valueType() == ConfigValueType.NUMBER || v.valueType() == ConfigValueType.BOOLEAN)) {
      return com.typesafe.config.ConfigValueFactory.fromAnyRef(String.valueOf(v.unwrapped()));
    }
    throw invalid(key, v, expected);
  }

  private ConfigValue value(String key) {
    if (!config.hasPath(key)) {
      throw new InvalidInputException(
          "Missing configuration key '"
              + key
              + "': set it in the --config file or with --set "
              + key
              + "=...");
    }
    return config.getValue(key);
  }

  /** The standard message for a value of the wrong kind or out of range. */
  public static InvalidInputException invalid(String key, Object value, String expected) {
    String shown =
        value instanceof ConfigValue cv
            ? cv.render(ConfigRenderOptions.concise())
            : String.valueOf(value);
    return new InvalidInputException(
        "Invalid value for '" + key + "': " + shown + " (expected " + expected + ").");
  }
}
