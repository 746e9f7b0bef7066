package ai.lvm.export;

import ai.lvm.format.SnapshotManifest;
import ai.lvm.format.Split;
import java.util.Map;

/** The console table printed at the end of an export. */
final class ExportSummary {
  private ExportSummary() {}

  static String render(ExportJob.Result result) {
    SnapshotManifest m = result.manifest();
    StringBuilder out = new StringBuilder();
    if (result.alreadyPublished()) {
      out.append("Snapshot ")
          .append(m.snapshotId())
          .append(" is already published at ")
          .append(result.location())
          .append(": nothing to do.\n");
    } else {
      out.append("Published snapshot ")
          .append(m.snapshotId())
          .append(" at ")
          .append(result.location())
          .append('\n');
    }
    SnapshotManifest.InputQuality q = m.inputQuality();
    out.append(
        String.format(
            "corpus %s: %,d rows, %,d documents, D=%d; %,d used, %,d dropped%s, %,d normalised%n",
            m.corpus().path(),
            m.corpus().rows(),
            m.corpus().documents(),
            m.corpus().dimension(),
            q.rowsUsed(),
            q.rowsDropped().values().stream().mapToLong(Long::longValue).sum(),
            q.rowsDropped().isEmpty() ? "" : " " + q.rowsDropped(),
            q.vectorsNormalised()));
    out.append("protocol ").append(m.protocol()).append(", streams ");
    m.streams()
        .forEach(
            (s, info) ->
                out.append(
                    String.format("%s=%,d chunks/%,d docs ", s, info.chunks(), info.documents())));
    out.append('\n');
    out.append(
        String.format(
            "%8s %9s %10s %10s %10s %10s  %s%n",
            "C", "stride", "train", "val", "test", "dropped", "training"));
    boolean twoStrides = false;
    for (SnapshotManifest.ContextSize c : m.contextSizes()) {
      Map<String, Long> w = c.windows();
      long dropped = c.droppedByCoherence().values().stream().mapToLong(Long::longValue).sum();
      SnapshotManifest.Sufficiency s = c.sufficiency();
      String verdict =
          s.sufficient()
              ? String.format("sufficient (%,d >= %,d)", s.trainWindows(), s.threshold())
              : String.format(
                  "INSUFFICIENT (%,d < %,d): not offered for training",
                  s.trainWindows(), s.threshold());
      String stride = String.valueOf(c.stride());
      if (c.strideOf(Split.TEST.id()) != c.stride()) {
        stride += "/" + c.strideOf(Split.TEST.id());
        twoStrides = true;
      }
      out.append(
          String.format(
              "%8d %9s %,10d %,10d %,10d %,10d  %s%n",
              c.contextSize(),
              stride,
              w.get(Split.TRAIN.id()),
              w.get(Split.VAL.id()),
              w.get(Split.TEST.id()),
              dropped,
              verdict));
    }
    if (twoStrides) {
      out.append("stride a/b: training windows every a chunks, val and test windows every b\n");
    }
    return out.toString().stripTrailing();
  }
}
