package ai.lvm.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles}: each operation leaves the target whole and no hidden debris behind. */
class AtomicFilesTest {
  @TempDir Path dir;

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path("file://" + p.toAbsolutePath());
  }

  private static FileSystem local() throws IOException {
    return FileSystem.getLocal(new Configuration()).getRawFileSystem();
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  private long hiddenEntries() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> p.getFileName().toString().startsWith("_")).count();
    }
  }

  @Test
  void createAndReplaceAFileLeaveOnlyTheFile() throws IOException {
    FileSystem fs = local();
    Path f = dir.resolve("status.json");
    AtomicFiles.create(fs, hadoop(f), "one".getBytes(StandardCharsets.UTF_8));
    assertThat(read(f)).isEqualTo("one");
    AtomicFiles.replaceFile(fs, hadoop(f), "two".getBytes(StandardCharsets.UTF_8));
    assertThat(read(f)).isEqualTo("two");
    assertThat(hiddenEntries()).isZero();
  }

  @Test
  void replaceDirectorySwapsWholeDirectoriesAndRemovesTheOldOne() throws IOException {
    FileSystem fs = local();
    Path target = dir.resolve("reports/demo");
    Path first = Files.createDirectories(dir.resolve("_staging-1"));
    Files.writeString(first.resolve("a.txt"), "old");
    Files.writeString(first.resolve("gone.txt"), "only in the old one");
    AtomicFiles.replaceDirectory(fs, hadoop(first), hadoop(target));
    Path second = Files.createDirectories(dir.resolve("_staging-2"));
    Files.writeString(second.resolve("a.txt"), "new");
    AtomicFiles.replaceDirectory(fs, hadoop(second), hadoop(target));

    assertThat(read(target.resolve("a.txt"))).isEqualTo("new");
    assertThat(target.resolve("gone.txt")).doesNotExist();
    assertThat(hiddenEntries()).isZero();
  }

  @Test
  void aFailedMoveThrowsNamingTheSource() throws IOException {
    FileSystem fs = local();
    Path missing = dir.resolve("_never-written");
    assertThatThrownBy(() -> AtomicFiles.move(fs, hadoop(missing), hadoop(dir.resolve("target"))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("_never-written");
  }
}
