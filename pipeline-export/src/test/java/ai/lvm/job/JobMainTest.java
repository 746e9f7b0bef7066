package ai.lvm.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.export.ExportJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The launcher contract: user errors exit 2 with one message, before any Spark work. */
class JobMainTest {

  private static String stderrOf(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void unknownKeysAndBadValuesExitTwoWithAMessage() {
    int[] status = new int[1];
    String err =
        stderrOf(
            () ->
                status[0] =
                    JobMain.execute(new ExportJob(), new String[] {"--set", "lvm.export.strid=3"}));
    assertThat(status[0]).isEqualTo(2);
    assertThat(err).startsWith("error: Unknown configuration key 'lvm.export.strid'");

    err =
        stderrOf(
            () ->
                status[0] =
                    JobMain.execute(
                        new ExportJob(),
                        new String[] {
                          "--set", "lvm.export.corpus=x", "--set", "lvm.export.protocol=sed"
                        }));
    assertThat(status[0]).isEqualTo(2);
    assertThat(err).contains("Invalid value for 'lvm.export.protocol'");
  }

  @Test
  void dryRunOnAJobWithoutOneExitsTwoBeforeAnyWork() {
    int[] status = new int[1];
    String err =
        stderrOf(() -> status[0] = JobMain.execute(new ExportJob(), new String[] {"--dry-run"}));
    assertThat(status[0]).isEqualTo(2);
    assertThat(err)
        .isEqualTo(
            "error: --dry-run: lvm-export has none (lvm-train lists the runs it would start).\n");
  }

  @Test
  void helpExitsZero() {
    assertThat(JobMain.execute(new ExportJob(), new String[] {"--help"})).isZero();
  }
}
