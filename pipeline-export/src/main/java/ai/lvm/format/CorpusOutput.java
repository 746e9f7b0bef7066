package ai.lvm.format;

import ai.lvm.config.InvalidInputException;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Where a corpus-producing job (generate, ingest) publishes: the directory's parent is the
 * collection, its name the id. Re-running with the same settings finds the published corpus; other
 * settings into the same directory are refused, since a published corpus is never replaced.
 */
public record CorpusOutput(Publisher publisher, String id) {

  public static CorpusOutput of(String output, Configuration hadoopConf) {
    Path path = new Path(output);
    Path parent = path.getParent() == null ? new Path(".") : path.getParent();
    return new CorpusOutput(
        new Publisher(parent, CorpusManifest.FILE_NAME, hadoopConf), path.getName());
  }

  public String location() {
    return publisher.path(id).toString();
  }

  /**
   * The manifest of the corpus already published here with these {@code settings}, if any.
   *
   * @param verb what the job does, for the message ("generate", "ingest")
   * @param fix how to choose another output, for the message
   */
  public Optional<CorpusManifest> existing(Map<String, Object> settings, String verb, String fix) {
    if (!publisher.isPublished(id)) {
      return Optional.empty();
    }
    CorpusManifest existing =
        Json.read(publisher.readRecord(id).orElseThrow(), CorpusManifest.class);
    // Compare as JSON reads them back, so number types match the stored manifest's.
    if (!existing.config().equals(Json.read(Json.write(settings), Map.class))) {
      throw new InvalidInputException(
          "Cannot "
              + verb
              + " into '"
              + location()
              + "': a corpus with other settings is already published there ("
              + existing.config()
              + "). "
              + fix);
    }
    return Optional.of(existing);
  }
}
