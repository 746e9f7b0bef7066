package ai.lvm.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildInfoTest {
  @Test
  void theVersionNamesTheReleaseAndTheCommit() {
    assertThat(BuildInfo.describe("0.1.0", "3b0d8a1c2f4e", "false"))
        .isEqualTo("lvm-pipeline 0.1.0 (commit 3b0d8a1c2f4e)");
    assertThat(BuildInfo.describe("0.1.0", "3b0d8a1c2f4e", "true"))
        .isEqualTo("lvm-pipeline 0.1.0 (commit 3b0d8a1c2f4e-dirty)");
    // built outside a git checkout: the placeholders stay unfiltered
    assertThat(BuildInfo.describe("0.1.0", "${git.commit.id.abbrev}", "${git.dirty}"))
        .isEqualTo("lvm-pipeline 0.1.0 (commit unknown)");
    assertThat(BuildInfo.describe(null, null, null))
        .isEqualTo("lvm-pipeline unknown (commit unknown)");
  }

  @Test
  void thisBuildRecordsItsCommitWhenBuiltFromACheckout() {
    assertThat(BuildInfo.version())
        .matches("lvm-pipeline \\S+ \\(commit ([0-9a-f]{12}(-dirty)?|unknown)\\)");
  }
}
