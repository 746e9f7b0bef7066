package ai.lvm.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.config.LvmConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code lvm.ingest} sections of the shipped files under {@code conf/} load through the
 * launcher's loader and pass every ingest check (unknown keys, types, ranges), the ingest half of
 * pipeline-train's ConfFilesTest: a typo in a shipped file fails the build, not a nightly run.
 */
class IngestConfFilesTest {
  private static Path confDir() {
    // Tests run in the module directory; the files live in the repository's conf/.
    return Path.of("").toAbsolutePath().getParent().resolve("conf");
  }

  static List<String> confFiles() throws IOException {
    try (Stream<Path> files = Files.list(confDir())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".conf"))
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest
  @MethodSource("confFiles")
  void shippedFilesValidateForIngest(String name) {
    LvmConfig c =
        LvmConfig.load(
            Optional.of(confDir().resolve(name).toFile()), Map.of("lvm.ingest.input", "x"));
    c.rejectUnknownKeys(Set.of("spark", "ingest"));
    assertThat(IngestConfig.from(c)).isNotNull();
  }
}
