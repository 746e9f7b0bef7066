package ai.lvm.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublisherTest {
  @TempDir Path dir;

  private Publisher publisher() {
    return new Publisher(
        new org.apache.hadoop.fs.Path(dir.toUri()), "manifest.json", new Configuration());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static org.apache.hadoop.fs.Path stageWithData(Publisher p, String id) throws Exception {
    org.apache.hadoop.fs.Path staged = p.stage(id);
    Path local = Path.of(staged.toUri());
    Files.createDirectories(local);
    Files.writeString(local.resolve("part-0"), "data of " + id);
    return staged;
  }

  @Test
  void stagedDataIsInvisibleUntilPublishedWithItsRecordLast() throws Exception {
    Publisher p = publisher();
    org.apache.hadoop.fs.Path staged = stageWithData(p, "a");
    assertThat(p.publishedIds()).isEmpty();
    assertThat(p.latest()).isEmpty();
    p.publish(staged, "a", bytes("{\"id\":\"a\"}"));
    assertThat(p.isPublished("a")).isTrue();
    assertThat(p.publishedIds()).containsExactly("a");
    assertThat(p.latest()).hasValue("a");
    assertThat(new String(p.readRecord("a").orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo("{\"id\":\"a\"}");
    assertThat(Files.readString(dir.resolve("a/part-0"))).isEqualTo("data of a");
    assertThat(Files.exists(Path.of(staged.toUri()))).isFalse();
  }

  @Test
  void aPublishedIdIsNeverReplaced() throws Exception {
    Publisher p = publisher();
    p.publish(stageWithData(p, "a"), "a", bytes("one"));
    org.apache.hadoop.fs.Path again = stageWithData(p, "a");
    assertThatThrownBy(() -> p.publish(again, "a", bytes("two")))
        .hasMessageContaining("already published");
    assertThat(new String(p.readRecord("a").orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo("one");
  }

  @Test
  void debrisOfAnInterruptedPublicationIsNotPublishedAndIsReplaced() throws Exception {
    Publisher p = publisher();
    // A crash between the rename and the record leaves a directory without a record.
    Files.createDirectories(dir.resolve("b"));
    Files.writeString(dir.resolve("b/part-0"), "half");
    assertThat(p.isPublished("b")).isFalse();
    assertThat(p.publishedIds()).isEmpty();
    p.publish(stageWithData(p, "b"), "b", bytes("ok"));
    assertThat(Files.readString(dir.resolve("b/part-0"))).isEqualTo("data of b");
  }

  @Test
  void latestFollowsPublicationsAndFallsBackToTheNewestRecord() throws Exception {
    Publisher p = publisher();
    p.publish(stageWithData(p, "x"), "x", bytes("1"));
    Thread.sleep(20);
    p.publish(stageWithData(p, "y"), "y", bytes("2"));
    assertThat(p.latest()).hasValue("y");
    Files.delete(dir.resolve(Publisher.LATEST));
    assertThat(p.latest()).hasValue("y");
    assertThat(p.publishedIds()).containsExactly("x", "y");
  }

  @Test
  void stagingAnIdAgainRemovesItsOlderStaging() throws Exception {
    Publisher p = publisher();
    org.apache.hadoop.fs.Path first = stageWithData(p, "z");
    stageWithData(p, "z");
    assertThat(Files.exists(Path.of(first.toUri()))).isFalse();
  }
}
