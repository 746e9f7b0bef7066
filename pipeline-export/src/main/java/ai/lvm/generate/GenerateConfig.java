package ai.lvm.generate;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import java.util.Map;
import java.util.OptionalInt;

/** The validated {@code lvm.generate} configuration (keys and defaults: reference.conf). */
public record GenerateConfig(
    String output,
    long chunks,
    int dimension,
    int minDocChunks,
    int maxDocChunks,
    int lanes,
    double noise,
    long seed,
    OptionalInt partitions,
    Map<String, Object> resolved) {

  public static GenerateConfig from(LvmConfig c) {
    int min = c.intInRange("lvm.generate.min-doc-chunks", 1, 10_000_000);
    int max = c.intInRange("lvm.generate.max-doc-chunks", 1, 10_000_000);
    if (max < min) {
      throw new InvalidInputException(
          "Invalid value for 'lvm.generate.max-doc-chunks': "
              + max
              + " (expected >= lvm.generate.min-doc-chunks = "
              + min
              + ").");
    }
    return new GenerateConfig(
        c.requiredString("lvm.generate.output", "name the output directory"),
        c.longInRange("lvm.generate.chunks", 1, Long.MAX_VALUE / 2),
        c.intInRange("lvm.generate.dimension", 2, 65_536),
        min,
        max,
        c.intInRange("lvm.generate.lanes", 1, 1024),
        c.doubleInRange("lvm.generate.noise", 0, 100),
        c.longInRange("lvm.generate.seed", Long.MIN_VALUE, Long.MAX_VALUE),
        c.isSet("lvm.generate.partitions")
            ? OptionalInt.of(c.intInRange("lvm.generate.partitions", 1, 1_000_000))
            : OptionalInt.empty(),
        c.subtree("lvm.generate"));
  }
}
