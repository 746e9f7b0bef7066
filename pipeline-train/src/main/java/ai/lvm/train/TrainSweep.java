package ai.lvm.train;

import ai.lvm.config.Ids;
import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A training sweep as configured: one {@link TrainConfig} per point of {@code lvm.train.grid} (the
 * cartesian product of its lists, keys in name order; one point when the grid is empty), each with
 * the grid values that make it, and the optional {@code lvm.train.run-name} that prefixes its run
 * ids. Context sizes, models and seeds stay sweep dimensions of their own ({@link Sweep}).
 *
 * @param points the grid points, each a complete configuration
 * @param runName prefix of every run id, or null
 */
public record TrainSweep(List<TrainSweep.Point> points, String runName) implements Serializable {

  /**
   * One grid point.
   *
   * @param varying grid key to the value of this point, as written (empty without a grid)
   * @param config the configuration with those values set
   */
  public record Point(LinkedHashMap<String, String> varying, TrainConfig config)
      implements Serializable {}

  /** Keys that are sweep dimensions or identities of their own, so never grid keys. */
  static final Set<String> NOT_IN_GRID =
      Set.of(
          "grid", "run-name", "snapshot", "context-sizes", "models", "seeds", "allow-insufficient");

  private static final String GRID = "lvm.train.grid";

  public static TrainSweep from(LvmConfig c) {
    String runName = c.optionalString("lvm.train.run-name").orElse(null);
    if (runName != null) {
      Ids.require("lvm.train.run-name", runName, "it prefixes run ids, which name directories");
    }
    Map<String, List<LvmConfig.Choice>> grid = c.listMap(GRID);
    for (String key : grid.keySet()) {
      if (NOT_IN_GRID.contains(key)) {
        throw new InvalidInputException(
            "Invalid grid key '"
                + GRID
                + "."
                + key
                + "': lvm.train."
                + key
                + " is not a hyperparameter; list its values in lvm.train."
                + key
                + " itself (context sizes, models and seeds are sweep dimensions already).");
      }
      if (!c.isDeclared("lvm.train." + key)) {
        throw new InvalidInputException(
            "Invalid grid key '"
                + GRID
                + "."
                + key
                + "': there is no key lvm.train."
                + key
                + ". A grid lists values of lvm.train keys, e.g. grid { learning-rate = [1e-4,"
                + " 3e-4], hidden-size = [128, 256] } (keys: docs/configuration.md).");
      }
    }
    List<Point> points = new ArrayList<>();
    expand(c, new ArrayList<>(grid.entrySet()), 0, new LinkedHashMap<>(), points);
    return new TrainSweep(List.copyOf(points), runName);
  }

  /** Depth-first over the grid's keys: one point per combination of their values. */
  private static void expand(
      LvmConfig c,
      List<Map.Entry<String, List<LvmConfig.Choice>>> keys,
      int next,
      LinkedHashMap<String, String> varying,
      List<Point> out) {
    if (next == keys.size()) {
      TrainConfig config;
      try {
        config = TrainConfig.from(c);
      } catch (InvalidInputException e) {
        throw varying.isEmpty()
            ? e
            : new InvalidInputException("Grid point " + varying + ": " + e.getMessage(), e);
      }
      out.add(new Point(new LinkedHashMap<>(varying), config));
      return;
    }
    Map.Entry<String, List<LvmConfig.Choice>> key = keys.get(next);
    for (LvmConfig.Choice choice : key.getValue()) {
      varying.put(key.getKey(), choice.text());
      expand(c.with("lvm.train." + key.getKey(), choice.value()), keys, next + 1, varying, out);
      varying.remove(key.getKey());
    }
  }

  /** The first point's configuration: the keys every point shares (root, snapshot, sweep). */
  public TrainConfig base() {
    return points.get(0).config();
  }
}
