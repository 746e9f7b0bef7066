package ai.lvm.train;

import ai.lvm.config.LvmConfig;
import ai.lvm.job.JobMain;
import ai.lvm.job.TextTable;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code bin/lvm runs}: every run under {@code <lvm.root>/runs} with its state and best validation,
 * from the runs' checkpoint records; no Spark session, so it answers in a second while a sweep
 * trains (from any machine that reads the root).
 */
public final class RunList {
  private RunList() {}

  public static void main(String[] args) {
    JobMain.tool(
        "lvm-runs",
        args,
        cli -> {
          LvmConfig config = cli.load();
          System.out.println(
              table(
                  config.requiredString("lvm.root", "e.g. --set lvm.root=data"),
                  new Configuration()));
        });
  }

  /** The runs under {@code root} as a table, or a line saying there are none. */
  public static String table(String root, Configuration conf) {
    List<String> ids = RunProgress.runIds(root, conf);
    if (ids.isEmpty()) {
      return "No runs under " + root + "/runs: train first (bin/lvm train).";
    }
    TextTable table =
        TextTable.of(
            "run",
            "status",
            ">epoch",
            ">val hit@5",
            ">best (epoch)",
            "best baseline",
            ">baseline@5");
    for (String id : ids) {
      Optional<RunProgress> p = RunProgress.read(root, id, conf);
      if (p.isEmpty()) {
        table.row(id, "no checkpoint", "", "", "", "", "");
        continue;
      }
      RunProgress r = p.get();
      var latest = r.latest();
      table.row(
          id,
          r.status(),
          r.epoch() + "/" + r.maxEpochs(),
          latest == null ? "-" : percent(latest.valHit5()),
          r.best() == null || r.best().hit5() == null
              ? "-"
              : percent(r.best().hit5()) + " (" + r.best().bestEpoch() + ")",
          latest == null || latest.valBaseline() == null ? "-" : latest.valBaseline(),
          latest == null ? "-" : percent(latest.valBaselineHit5()));
    }
    return table.render("").stripTrailing();
  }

  private static String percent(Double v) {
    return v == null || v.isNaN() ? "-" : String.format("%.1f%%", 100 * v);
  }
}
