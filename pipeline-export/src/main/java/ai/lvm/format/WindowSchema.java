package ai.lvm.format;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The window contract: one Parquet row per window, under {@code
 * data/context_size=<C>/split=<split>/} of a snapshot (Hive-style, so {@code context_size} and
 * {@code split} come back as columns when Spark or any Hive-aware engine reads {@code data/}).
 *
 * <p>The context is stored as one {@code binary} value: C x D {@link Float32}, row-major (context
 * position major). It reads back exactly and with one bulk copy into an ND4J array; a Parquet
 * {@code array<float>} of C x D elements costs a repetition level per element and reads an order of
 * magnitude slower at C = 2000, D = 768.
 */
public final class WindowSchema {
  /** Bumped on any incompatible change to this schema or the snapshot layout. */
  public static final int VERSION = 1;

  public static final String WINDOW_ID = "window_id";
  public static final String SPLIT = "split";
  public static final String CONTEXT_SIZE = "context_size";
  public static final String CONTEXT_START = "context_start";
  public static final String TARGET_DOC_ID = "target_doc_id";
  public static final String TARGET_CHUNK_INDEX = "target_chunk_index";
  public static final String TARGET = "target";
  public static final String CONTEXT = "context";
  public static final String CONTEXT_SEGMENTS = "context_segments";
  public static final String SPANS_DOCUMENTS = "spans_documents";
  public static final String TARGET_STARTS_DOCUMENT = "target_starts_document";
  public static final String COHERENCE = "coherence";
  public static final String TARGET_LANE = "target_lane";

  /** A run of consecutive chunks of one document inside a context. */
  public static final String SEGMENT_DOC_ID = "doc_id";

  public static final String SEGMENT_FIRST_CHUNK_INDEX = "first_chunk_index";
  public static final String SEGMENT_LENGTH = "length";

  public static final StructType SEGMENT =
      new StructType()
          .add(SEGMENT_DOC_ID, DataTypes.StringType, false)
          .add(SEGMENT_FIRST_CHUNK_INDEX, DataTypes.IntegerType, false)
          .add(SEGMENT_LENGTH, DataTypes.IntegerType, false);

  /** The columns stored in each Parquet file ({@code split}, {@code context_size} are paths). */
  public static final StructType FILE_SCHEMA =
      new StructType()
          .add(WINDOW_ID, DataTypes.LongType, false)
          .add(CONTEXT_START, DataTypes.LongType, false)
          .add(TARGET_DOC_ID, DataTypes.StringType, false)
          .add(TARGET_CHUNK_INDEX, DataTypes.IntegerType, false)
          .add(TARGET, DataTypes.createArrayType(DataTypes.FloatType, false), false)
          .add(CONTEXT, DataTypes.BinaryType, false)
          .add(CONTEXT_SEGMENTS, DataTypes.createArrayType(SEGMENT, false), false)
          .add(SPANS_DOCUMENTS, DataTypes.BooleanType, false)
          .add(TARGET_STARTS_DOCUMENT, DataTypes.BooleanType, false)
          .add(COHERENCE, DataTypes.FloatType, false)
          .add(TARGET_LANE, DataTypes.IntegerType, true);

  private WindowSchema() {}
}
