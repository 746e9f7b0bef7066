package ai.lvm.format;

import java.util.Map;

/**
 * {@code _manifest.json} of a published corpus (generated or ingested). The leading underscore
 * keeps the corpus directory a plain Parquet dataset: Spark, Hadoop and Arrow readers skip it.
 *
 * @param producer what wrote it: {@code generate}, {@code ingest}, {@code ingest-npz}
 * @param model the encoder that made the vectors ({@code synthetic} for generated corpora)
 * @param skipped records skipped per reason (ingest with {@code on-bad-records = skip})
 * @param config the resolved configuration of the producing job
 */
public record CorpusManifest(
    int schemaVersion,
    String corpusId,
    String createdAt,
    String codeVersion,
    String producer,
    String model,
    long rows,
    long documents,
    int dimension,
    Map<String, Long> skipped,
    Map<String, Object> config) {

  public static final String FILE_NAME = "_manifest.json";
  public static final int VERSION = 1;
}
