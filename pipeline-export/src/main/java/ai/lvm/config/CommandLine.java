package ai.lvm.config;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line every job takes: {@code [--config FILE] [--set key=value]... [--dry-run]
 * [--version] [--help]}. A later {@code --set} of the same key wins.
 */
public record CommandLine(
    Optional<File> configFile,
    Map<String, String> overrides,
    boolean help,
    boolean dryRun,
    boolean version) {

  public static CommandLine parse(String... args) {
    Optional<File> file = Optional.empty();
    Map<String, String> overrides = new LinkedHashMap<>();
    boolean help = false;
    boolean dryRun = false;
    boolean version = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--config", "-c" -> file = Optional.of(new File(next(args, ++i, arg, "FILE")));
        case "--set", "-s" -> putOverride(overrides, next(args, ++i, arg, "key=value"));
        case "--help", "-h" -> help = true;
        case "--dry-run" -> dryRun = true;
        case "--version" -> version = true;
        default -> {
          if (arg.startsWith("--config=")) {
            file = Optional.of(new File(arg.substring("--config=".length())));
          } else if (arg.startsWith("--set=")) {
            putOverride(overrides, arg.substring("--set=".length()));
          } else {
            throw new InvalidInputException(
                "Invalid argument '" + arg + "': expected --config FILE or --set key=value.");
          }
        }
      }
    }
    return new CommandLine(file, Map.copyOf(overrides), help, dryRun, version);
  }

  /** Loads the configuration this command line describes. */
  public LvmConfig load() {
    return LvmConfig.load(configFile, overrides);
  }

  private static String next(String[] args, int i, String flag, String what) {
    if (i >= args.length) {
      throw new InvalidInputException("Invalid argument: " + flag + " needs " + what + ".");
    }
    return args[i];
  }

  private static void putOverride(Map<String, String> overrides, String pair) {
    int eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new InvalidInputException(
          "Invalid --set '" + pair + "': expected key=value, e.g. --set lvm.export.stride=50.");
    }
    overrides.remove(pair.substring(0, eq).strip());
    overrides.put(pair.substring(0, eq).strip(), pair.substring(eq + 1));
  }

  public static final List<String> USAGE =
      List.of(
          "options:",
          "  --config FILE        HOCON file (bin/lvm uses conf/local.conf when none is given)",
          "  --set key=value      override one key; repeatable; wins over the file",
          "  --dry-run            list what the job would do, do nothing (train: the runs it"
              + " would start, resume or skip)",
          "  --version            the release and the commit this build was made from",
          "  --help               this text");
}
