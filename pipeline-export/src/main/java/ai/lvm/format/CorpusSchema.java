package ai.lvm.format;

import ai.lvm.config.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The vector corpus contract (input of the export, output of ingest): Parquet with one row per
 * chunk.
 *
 * <ul>
 *   <li>{@code doc_id: string} - the document; corpus order is documents by {@code doc_id}
 *       (ascending, in UTF-8 byte order as Spark compares strings), chunks by {@code chunk_index}.
 *   <li>{@code chunk_index: int} - reading order within the document, consecutive integers.
 *   <li>{@code vector: array<float>} - one dimension D for the whole corpus (double is accepted).
 *   <li>optional {@code text: string}, {@code source: string}, {@code lane: int}.
 * </ul>
 */
public final class CorpusSchema {
  public static final String DOC_ID = "doc_id";
  public static final String CHUNK_INDEX = "chunk_index";
  public static final String VECTOR = "vector";
  public static final String TEXT = "text";
  public static final String SOURCE = "source";
  public static final String LANE = "lane";

  /** The schema ingest and the generator write. */
  public static final StructType SCHEMA =
      new StructType()
          .add(DOC_ID, DataTypes.StringType, false)
          .add(CHUNK_INDEX, DataTypes.IntegerType, false)
          .add(VECTOR, DataTypes.createArrayType(DataTypes.FloatType, false), false)
          .add(TEXT, DataTypes.StringType, true)
          .add(SOURCE, DataTypes.StringType, true)
          .add(LANE, DataTypes.IntegerType, true);

  private CorpusSchema() {}

  /**
   * Checks a corpus schema against the contract, naming every missing column and wrong type.
   *
   * @param where the corpus path, for the message
   */
  public static void check(StructType schema, String where) {
    List<String> problems = new ArrayList<>();
    expect(schema, DOC_ID, t -> t.equals(DataTypes.StringType), "string", true, problems);
    expect(schema, CHUNK_INDEX, CorpusSchema::isIntegral, "int", true, problems);
    expect(
        schema,
        VECTOR,
        t -> t instanceof ArrayType a && isFloating(a.elementType()),
        "array<float>",
        true,
        problems);
    expect(schema, TEXT, t -> t.equals(DataTypes.StringType), "string", false, problems);
    expect(schema, SOURCE, t -> t.equals(DataTypes.StringType), "string", false, problems);
    expect(schema, LANE, CorpusSchema::isIntegral, "int", false, problems);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(
          "Invalid corpus schema at '"
              + where
              + "': "
              + String.join("; ", problems)
              + ". The corpus needs doc_id: string, chunk_index: int, vector: array<float>"
              + " (optional text, source: string, lane: int). Found: "
              + schema.simpleString());
    }
  }

  public static boolean hasColumn(StructType schema, String name) {
    return List.of(schema.fieldNames()).contains(name);
  }

  private static void expect(
      StructType schema,
      String name,
      java.util.function.Predicate<DataType> ok,
      String expected,
      boolean required,
      List<String> problems) {
    if (!hasColumn(schema, name)) {
      if (required) {
        problems.add("missing column '" + name + "' (" + expected + ")");
      }
      return;
    }
    StructField f = schema.apply(name);
    if (!ok.test(f.dataType())) {
      problems.add(
          "column '" + name + "' is " + f.dataType().simpleString() + ", expected " + expected);
    }
  }

  private static boolean isIntegral(DataType t) {
    return t.equals(DataTypes.IntegerType)
        || t.equals(DataTypes.LongType)
        || t.equals(DataTypes.ShortType);
  }

  private static boolean isFloating(DataType t) {
    return t.equals(DataTypes.FloatType) || t.equals(DataTypes.DoubleType);
  }
}
