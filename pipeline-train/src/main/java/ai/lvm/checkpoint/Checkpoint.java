package ai.lvm.checkpoint;

import ai.lvm.model.LatentVectorModel;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A checkpoint in memory: its record and its arrays by group. What {@link CheckpointStore} writes
 * and reads; {@link #restoreInto} checks it fits the model before changing anything.
 *
 * @param record the metadata written as {@code checkpoint.json}
 * @param parameters trainable arrays by parameter name
 * @param buffers non-trainable model state by name
 * @param optimizer optimizer state by name ({@code <parameter>/m}, {@code <parameter>/v})
 */
public record Checkpoint(
    CheckpointRecord record,
    Map<String, INDArray> parameters,
    Map<String, INDArray> buffers,
    Map<String, INDArray> optimizer) {

  /**
   * Copies parameters and buffers into {@code model} after checking that names and shapes match
   * exactly; throws {@link CheckpointException} naming the first difference otherwise.
   */
  public void restoreInto(LatentVectorModel model, String where) {
    CheckpointRecord.Model held = record.model();
    if (!held.type().equals(model.type()) || held.dimension() != model.dimension()) {
      throw new CheckpointException(
          "Incompatible checkpoint at "
              + where
              + ": it holds a "
              + held.type()
              + " model of dimension "
              + held.dimension()
              + ", this run trains a "
              + model.type()
              + " of dimension "
              + model.dimension()
              + ". Use a new run id for a different model.");
    }
    requireSameShapes("parameter", parameters, model.parameters().values(), where);
    requireSameShapes("buffer", buffers, model.buffers(), where);
    model.parameters().values().forEach((name, value) -> value.assign(parameters.get(name)));
    model.buffers().forEach((name, value) -> value.assign(buffers.get(name)));
  }

  private static void requireSameShapes(
      String kind, Map<String, INDArray> saved, Map<String, INDArray> model, String where) {
    if (!saved.keySet().equals(model.keySet())) {
      TreeSet<String> missing = new TreeSet<>(model.keySet());
      missing.removeAll(saved.keySet());
      TreeSet<String> extra = new TreeSet<>(saved.keySet());
      extra.removeAll(model.keySet());
      throw new CheckpointException(
          "Incompatible checkpoint at "
              + where
              + ": "
              + kind
              + " names differ; missing from the checkpoint "
              + missing
              + ", unknown to the model "
              + extra
              + ".");
    }
    for (Map.Entry<String, INDArray> e : model.entrySet()) {
      long[] have = saved.get(e.getKey()).shape();
      long[] want = e.getValue().shape();
      if (!Arrays.equals(have, want)) {
        throw new CheckpointException(
            "Incompatible checkpoint at "
                + where
                + ": "
                + kind
                + " '"
                + e.getKey()
                + "' has shape "
                + Arrays.toString(have)
                + " there, the model has "
                + Arrays.toString(want)
                + ".");
      }
    }
  }
}
