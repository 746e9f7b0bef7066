package ai.lvm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LvmConfigTest {

  @Test
  void referenceDefaultsAreDocumentedValues() {
    LvmConfig c = LvmConfig.of(Map.of());
    assertThat(c.string("lvm.root")).isEqualTo("data");
    assertThat(c.intList("lvm.export.context-sizes", 1, 100000))
        .containsExactly(100, 500, 1000, 2000);
    assertThat(c.optionalDouble("lvm.export.min-coherence", -1, 1)).isEmpty();
    assertThat(c.optionalString("lvm.export.snapshot-id")).isEmpty();
  }

  @Test
  void setWinsOverFileWhichWinsOverReference(@TempDir Path dir) throws Exception {
    File file = dir.resolve("my.conf").toFile();
    Files.writeString(file.toPath(), "lvm.root = from-file\nlvm.export.min-train-sequences = 7\n");
    LvmConfig c = LvmConfig.load(Optional.of(file), Map.of("lvm.export.min-train-sequences", "9"));
    assertThat(c.string("lvm.root")).isEqualTo("from-file");
    assertThat(c.longInRange("lvm.export.min-train-sequences", 0, 100)).isEqualTo(9);
    // Defaults derived from the root follow an overridden root.
    assertThat(c.string("lvm.generate.output")).isEqualTo("from-file/corpus/generated");
  }

  @Test
  void setValuesAreHoconWhereTheyAreHoconAndPlainStringsOtherwise() {
    LvmConfig c =
        CommandLine.parse(
                "--set", "lvm.root=s3a://bucket/x",
                "--set", "lvm.export.corpus=hdfs://nn:8020/lvm/corpus",
                "--set", "lvm.export.context-sizes=[100,500]",
                "--set", "lvm.export.min-coherence=0.03",
                "--set", "lvm.export.snapshot-id=\"quoted id\"")
            .load();
    assertThat(c.string("lvm.root")).isEqualTo("s3a://bucket/x");
    assertThat(c.string("lvm.export.corpus")).isEqualTo("hdfs://nn:8020/lvm/corpus");
    assertThat(c.intList("lvm.export.context-sizes", 1, 10000)).containsExactly(100, 500);
    assertThat(c.optionalDouble("lvm.export.min-coherence", -1, 1)).hasValue(0.03);
    assertThat(c.string("lvm.export.snapshot-id")).isEqualTo("quoted id");
  }

  @Test
  void laterSetOfTheSameKeyWins() {
    CommandLine cli = CommandLine.parse("--set", "lvm.root=a", "--set", "lvm.root=b");
    assertThat(cli.load().string("lvm.root")).isEqualTo("b");
  }

  @Test
  void unknownKeyIsRejectedWithASuggestion() {
    LvmConfig c = LvmConfig.of(Map.of("lvm.export.contex-sizes", "[100]"));
    assertThatThrownBy(() -> c.rejectUnknownKeys(Set.of("export")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Unknown configuration key 'lvm.export.contex-sizes'")
        .hasMessageContaining("Did you mean 'lvm.export.context-sizes'?");
  }

  @Test
  void unknownStageIsRejectedButOtherKnownStagesAreLeftToTheirJobs() {
    assertThatThrownBy(
            () ->
                LvmConfig.of(Map.of("lvm.exprot.stride", "1")).rejectUnknownKeys(Set.of("export")))
        .hasMessageContaining("lvm.exprot.stride");
    // A shared nightly file configures training too; the export job does not judge those keys.
    LvmConfig.of(Map.of("lvm.train.anything", "1")).rejectUnknownKeys(Set.of("export"));
  }

  @Test
  void freeFormMapsAcceptAnyKey() {
    LvmConfig c = LvmConfig.of(Map.of("lvm.spark.conf.\"spark.sql.shuffle.partitions\"", "4"));
    c.rejectUnknownKeys(Set.of("spark"));
    assertThat(c.stringMap("lvm.spark.conf")).containsEntry("spark.sql.shuffle.partitions", "4");
  }

  @Test
  void badValuesNameTheKeyTheValueAndWhatIsExpected() {
    LvmConfig c =
        LvmConfig.of(
            Map.of(
                "lvm.export.min-train-sequences", "-5",
                "lvm.export.protocol", "sed",
                "lvm.export.context-sizes", "[100, x]"));
    assertThatThrownBy(() -> c.longInRange("lvm.export.min-train-sequences", 0, 10))
        .hasMessage(
            "Invalid value for 'lvm.export.min-train-sequences': -5 (expected an integer in [0, 10]).");
    assertThatThrownBy(() -> c.choice("lvm.export.protocol", ai.lvm.format.Protocol.class))
        .hasMessageContaining("'lvm.export.protocol': \"sed\"")
        .hasMessageContaining("[article, seed]");
    assertThatThrownBy(() -> c.intList("lvm.export.context-sizes", 1, 100))
        .hasMessageContaining("lvm.export.context-sizes");
  }

  @Test
  void wrongTypesNameTheKeyTheValueAndTheExpectedType() {
    LvmConfig c =
        LvmConfig.of(
            Map.of(
                "lvm.export.min-train-sequences", "many",
                "lvm.train.allow-insufficient", "maybe"));
    assertThatThrownBy(() -> c.longInRange("lvm.export.min-train-sequences", 0, 10))
        .hasMessage(
            "Invalid value for 'lvm.export.min-train-sequences': \"many\" (expected an integer in"
                + " [0, 10]).");
    assertThatThrownBy(() -> c.bool("lvm.train.allow-insufficient"))
        .hasMessage(
            "Invalid value for 'lvm.train.allow-insufficient': \"maybe\" (expected true or false).");
  }

  @Test
  void aConfigFileThatIsNotHoconIsNamed(@TempDir Path dir) throws Exception {
    File file = dir.resolve("broken.conf").toFile();
    Files.writeString(file.toPath(), "lvm { root = \"data\"\n");
    assertThatThrownBy(() -> LvmConfig.load(Optional.of(file), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Invalid config file '" + file + "': ");
  }

  @Test
  void commandLineErrorsSayWhatIsExpected() {
    assertThatThrownBy(() -> CommandLine.parse("--set", "novalue"))
        .hasMessageContaining("expected key=value");
    assertThatThrownBy(() -> CommandLine.parse("--bogus")).hasMessageContaining("--bogus");
    assertThatThrownBy(() -> CommandLine.parse("--config")).hasMessageContaining("needs FILE");
    assertThatThrownBy(() -> CommandLine.parse("--config", "/no/such/file.conf").load())
        .hasMessageContaining("/no/such/file.conf");
  }

  @Test
  void editDistanceCountsEdits() {
    assertThat(LvmConfig.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(List.of(LvmConfig.editDistance("", "abc"), LvmConfig.editDistance("abc", "abc")))
        .containsExactly(3, 0);
  }
}
