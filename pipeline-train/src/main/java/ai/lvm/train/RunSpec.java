package ai.lvm.train;

import ai.lvm.model.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One run of a sweep: a model type trained on one context size of one snapshot with one seed, at
 * one point of the hyperparameter grid.
 *
 * <p>The run id is a pure function of these and of the settings' hash, so submitting the same sweep
 * again finds its runs (finished ones are skipped, interrupted ones resume from their last
 * checkpoint), and a run with any hyperparameter changed is a new run beside the old one.
 *
 * @param settings the grid values of this run as {@code <key><value>} words joined by '-' ({@code
 *     learning-rate3e-4-hidden-size128}), or empty without a grid
 * @param settingsHash {@link #hash} of the run's recipe and model spec
 * @param runName the sweep's {@code lvm.train.run-name}, or null
 */
public record RunSpec(
    String snapshotId,
    int contextSize,
    String model,
    long seed,
    String settings,
    String settingsHash,
    String runName)
    implements java.io.Serializable {

  /** Recipe keys that change how a run is logged, not what it learns: not in the hash. */
  private static final java.util.Set<String> NOT_HASHED = java.util.Set.of("log-every-steps");

  public RunSpec {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(settingsHash, "settingsHash");
  }

  /** {@code [<run-name>-]<snapshot>-c<C>-<model>-s<seed>[-<settings>]-<hash>}. */
  public String runId() {
    return (runName == null ? "" : runName + "-")
        + snapshotId
        + "-c"
        + contextSize
        + "-"
        + model
        + "-s"
        + seed
        + (settings.isEmpty() ? "" : "-" + settings)
        + "-"
        + settingsHash;
  }

  /** The grid values as one id word each: key and value, characters outside [A-Za-z0-9.-] as _. */
  public static String settingsWords(Map<String, String> varying) {
    StringBuilder out = new StringBuilder();
    varying.forEach(
        (k, v) ->
            out.append(out.length() == 0 ? "" : "-")
                .append(k)
                .append(v.replaceAll("[^A-Za-z0-9.-]", "_")));
    return out.toString();
  }

  /**
   * 8 hex digits of SHA-256 over what the run learns with: the recipe's keys whose values differ
   * from the reference recipe's (so a key added later at its reference value, which is what a
   * checkpoint without the key resumes with, leaves every id unchanged) and the whole model spec,
   * each sorted by key.
   */
  public static String hash(Recipe recipe, ModelSpec spec) {
    Map<String, Object> reference = Recipe.reference().toMap();
    Map<String, Object> differs = new TreeMap<>();
    recipe
        .toMap()
        .forEach(
            (k, v) -> {
              if (!NOT_HASHED.contains(k) && !Objects.equals(v, reference.get(k))) {
                differs.put(k, v);
              }
            });
    String canonical = "recipe" + differs + " model" + new TreeMap<>(spec.toMap());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
