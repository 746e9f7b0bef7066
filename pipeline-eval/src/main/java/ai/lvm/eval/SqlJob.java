package ai.lvm.eval;

import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import ai.lvm.format.CommittedFiles;
import ai.lvm.job.Job;
import ai.lvm.job.JobMain;
import ai.lvm.job.TextTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/lvm sql "<query>"}: Spark SQL over the published tables under {@code
 * <lvm.root>/tables/}, each registered as a view of its name ({@code eval_results}, {@code
 * eval_windows}, {@code training_runs}, {@code training_history}, {@code training_attempts}), for
 * analysts without a cluster. Each view reads the committed files of its partitions only ({@link
 * CommittedFiles}), so a query never sees an evaluation being replaced half-way, on any store.
 */
public final class SqlJob implements Job<SqlJob.Config, SqlJob.Result> {

  /** The validated {@code lvm.sql} configuration. */
  public record Config(String root, String query, int maxRows) {}

  /** The columns and the first rows of the answer, and the views that were available. */
  public record Result(List<String> columns, List<List<String>> rows, List<String> tables) {}

  public static void main(String[] args) {
    JobMain.main(new SqlJob(), args);
  }

  @Override
  public String name() {
    return "lvm-sql";
  }

  @Override
  public Set<String> stages() {
    return Set.of("spark", "sql");
  }

  @Override
  public Config configure(LvmConfig c) {
    String query =
        c.optionalString("lvm.sql.query")
            .filter(q -> !q.isBlank())
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "No query: run bin/lvm sql \"SELECT ... FROM eval_results\" (or set"
                            + " lvm.sql.query)."));
    return new Config(
        c.requiredString("lvm.root", "set the output root, e.g. --set lvm.root=data"),
        query,
        c.intInRange("lvm.sql.max-rows", 1, 1_000_000));
  }

  @Override
  public Result run(SparkSession spark, Config cfg) {
    List<String> tables = registerTables(spark, cfg.root());
    Dataset<Row> answer;
    try {
      answer = spark.sql(cfg.query());
    } catch (Exception e) { // Spark throws its checked AnalysisException undeclared
      if (e instanceof AnalysisException) {
        throw new InvalidInputException(
            "The query failed: "
                + e.getMessage().lines().findFirst().orElse("")
                + " Tables: "
                + tables
                + ".");
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    List<String> columns = List.of(answer.columns());
    List<List<String>> rows = new ArrayList<>();
    for (Row r : answer.limit(cfg.maxRows()).collectAsList()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        cells.add(r.isNullAt(i) ? "NULL" : String.valueOf(r.get(i)));
      }
      rows.add(cells);
    }
    return new Result(columns, rows, tables);
  }

  /** Registers each table directory under {@code <root>/tables/} as a view; their names. */
  static List<String> registerTables(SparkSession spark, String root) {
    Path dir = new Path(root, "tables");
    List<String> names = new ArrayList<>();
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(dir)) {
        throw new InvalidInputException(
            "No tables under "
                + dir
                + ": train (bin/lvm train) and evaluate (bin/lvm eval) first.");
      }
      for (FileStatus s : fs.listStatus(dir)) {
        String name = s.getPath().getName();
        if (s.isDirectory() && name.matches("[a-z_]+") && !name.startsWith("_")) {
          // Through the partitions' manifests: only committed files, on object stores too.
          Optional<Dataset<Row>> table = CommittedFiles.read(spark, s.getPath());
          if (table.isPresent()) {
            table.get().createOrReplaceTempView(name);
            names.add(name);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
    }
    names.sort(null);
    return names;
  }

  @Override
  public String summary(Result result) {
    TextTable table = TextTable.sql(result.columns());
    result.rows().forEach(row -> table.row(row.toArray(new String[0])));
    return table.render("") + "(" + result.rows().size() + " rows)";
  }
}
