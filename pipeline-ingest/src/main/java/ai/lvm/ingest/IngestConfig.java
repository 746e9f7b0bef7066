package ai.lvm.ingest;

import ai.lvm.config.Ids;
import ai.lvm.config.InvalidInputException;
import ai.lvm.config.LvmConfig;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The validated {@code lvm.ingest} configuration (keys and defaults: the module's reference.conf).
 *
 * @param output the corpus directory: {@code lvm.ingest.output}, else {@code <root>/corpus/<id>}
 * @param npzDocumentSize vectors per document for NPZ input; empty = the whole array is one
 * @param npzDocId the doc_id (or doc_id prefix) of NPZ documents; empty = the file name
 * @param resolved the resolved {@code lvm.ingest} subtree, recorded in the manifest
 */
public record IngestConfig(
    String input,
    Format format,
    String output,
    EncoderModel model,
    int minChunkChars,
    int maxChunkChars,
    int batchSize,
    int encoderThreads,
    int chunksPerPartition,
    OnBadRecords onBadRecords,
    OptionalInt npzDocumentSize,
    String npzDocId,
    int progressIntervalSeconds,
    Map<String, Object> resolved) {

  /** What the input is; {@code AUTO} decides by the input's name (see {@link IngestInputs}). */
  public enum Format {
    AUTO,
    JSONL,
    TEXT,
    NPZ
  }

  /** What a bad record does to the job. */
  public enum OnBadRecords {
    FAIL,
    SKIP
  }

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  public static IngestConfig from(LvmConfig c) {
    String input =
        c.requiredString(
            "lvm.ingest.input",
            "name the documents or NPZ to ingest, e.g. --set"
                + " lvm.ingest.input=data/samples/kernel-docs (bin/fetch-sample-corpus fetches"
                + " that one)");
    int min = c.intInRange("lvm.ingest.min-chunk-chars", 0, 100_000);
    int max = c.intInRange("lvm.ingest.max-chunk-chars", 1, 100_000);
    if (min > max) {
      throw LvmConfig.invalid(
          "lvm.ingest.min-chunk-chars", min, "at most lvm.ingest.max-chunk-chars = " + max);
    }
    return new IngestConfig(
        input,
        c.choice("lvm.ingest.format", Format.class),
        output(c),
        c.choice("lvm.ingest.model", EncoderModel.class),
        min,
        max,
        c.intInRange("lvm.ingest.batch-size", 1, 100_000),
        c.intInRange("lvm.ingest.encoder-threads", 1, 1024),
        c.intInRange("lvm.ingest.chunks-per-partition", 1, 100_000_000),
        c.choice("lvm.ingest.on-bad-records", OnBadRecords.class),
        c.isSet("lvm.ingest.npz-document-size")
            ? OptionalInt.of(c.intInRange("lvm.ingest.npz-document-size", 1, Integer.MAX_VALUE))
            : OptionalInt.empty(),
        c.optionalString("lvm.ingest.npz-doc-id").orElse(""),
        c.intInRange("lvm.ingest.progress-interval-s", 1, 86_400),
        c.subtree("lvm.ingest"));
  }

  private static String output(LvmConfig c) {
    var output = c.optionalString("lvm.ingest.output");
    var id = c.optionalString("lvm.ingest.id");
    if (output.isPresent() && id.isPresent()) {
      throw new InvalidInputException(
          "Invalid configuration: both 'lvm.ingest.output' ("
              + output.get()
              + ") and 'lvm.ingest.id' ("
              + id.get()
              + ") are set. Set one: the id names <lvm.root>/corpus/<id>, the output any"
              + " directory.");
    }
    if (output.isPresent()) {
      String name = output.get().replaceAll("/+$", "");
      String last = name.substring(name.lastIndexOf('/') + 1);
      if (!Ids.valid(last)) {
        throw LvmConfig.invalid(
            "lvm.ingest.output", output.get(), "a directory whose last name is " + Ids.RULE);
      }
      return name;
    }
    String root = c.requiredString("lvm.root", "set the output root, e.g. --set lvm.root=data");
    String theId = id.orElseGet(() -> ZonedDateTime.now(ZoneOffset.UTC).format(ID_TIME));
    Ids.require("lvm.ingest.id", theId, "it names the corpus directory");
    return root.replaceAll("/+$", "") + "/corpus/" + theId;
  }
}
