package ai.lvm.testing;

import ai.lvm.format.CorpusSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small seeded corpora written as Parquet, for tests across modules. */
public final class TestCorpora {
  private TestCorpora() {}

  /** Documents {@code d000, d001, ...} of the given lengths, random unit vectors of dimension d. */
  public static List<Row> documents(int d, long seed, int... lengths) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int doc = 0; doc < lengths.length; doc++) {
      for (int i = 0; i < lengths[doc]; i++) {
        rows.add(
            RowFactory.create(
                String.format("d%03d", doc), i, unitVector(rng, d), "chunk " + i, "test", doc % 3));
      }
    }
    return rows;
  }

  public static float[] unitVector(SplittableRandom rng, int d) {
    double[] v = new double[d];
    double s = 0;
    for (int i = 0; i < d; i++) {
      v[i] = rng.nextDouble() * 2 - 1;
      s += v[i] * v[i];
    }
    float[] f = new float[d];
    for (int i = 0; i < d; i++) {
      f[i] = (float) (v[i] / Math.sqrt(s));
    }
    return f;
  }

  /** A Spark array of floats (as {@code Row.getList} returns it) as a primitive array. */
  public static float[] toFloats(List<?> list) {
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) list.get(i)).floatValue();
    }
    return out;
  }

  /** A corpus row in the contract's column order. */
  public static Row row(String docId, Integer chunkIndex, float[] vector) {
    return RowFactory.create(docId, chunkIndex, vector, null, null, null);
  }

  /** The contract's columns, all nullable, so tests can write rows that break it. */
  public static final StructType LOOSE_SCHEMA =
      new StructType()
          .add(CorpusSchema.DOC_ID, DataTypes.StringType, true)
          .add(CorpusSchema.CHUNK_INDEX, DataTypes.IntegerType, true)
          .add(CorpusSchema.VECTOR, DataTypes.createArrayType(DataTypes.FloatType, true), true)
          .add(CorpusSchema.TEXT, DataTypes.StringType, true)
          .add(CorpusSchema.SOURCE, DataTypes.StringType, true)
          .add(CorpusSchema.LANE, DataTypes.IntegerType, true);

  public static String write(SparkSession spark, Path dir, String name, List<Row> rows) {
    return write(spark, dir, name, rows, LOOSE_SCHEMA);
  }

  public static String write(
      SparkSession spark, Path dir, String name, List<Row> rows, StructType schema) {
    String path = dir.resolve(name).toString();
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    df.coalesce(2).write().parquet(path);
    return path;
  }

  /**
   * Writes {@code documents} as the corpus {@code <root's parent>/corpus} and exports it under
   * {@code root} as snapshot {@code snap} with these context sizes (every size sufficient): the
   * starting point of the training and evaluation tests. Returns the corpus path.
   */
  public static String exportSnapshot(
      SparkSession spark, Path root, List<Integer> contextSizes, List<Row> documents) {
    return exportSnapshot(
        spark, root, root.getParent(), "snap", contextSizes, documents, java.util.Map.of());
  }

  /**
   * Writes {@code documents} as the corpus {@code <corpusParent>/corpus} and exports it under
   * {@code root} as snapshot {@code snapshotId} with these context sizes (every size sufficient)
   * and any further export {@code settings}. Returns the corpus path.
   */
  public static String exportSnapshot(
      SparkSession spark,
      Path root,
      Path corpusParent,
      String snapshotId,
      List<Integer> contextSizes,
      List<Row> documents,
      java.util.Map<String, Object> settings) {
    String corpus = write(spark, corpusParent, "corpus", documents);
    java.util.Map<String, Object> m = new java.util.HashMap<>(settings);
    m.put("lvm.root", root.toString());
    m.put("lvm.export.corpus", corpus);
    m.put("lvm.export.context-sizes", contextSizes);
    m.put("lvm.export.min-train-sequences", 1);
    m.put("lvm.export.snapshot-id", snapshotId);
    new ai.lvm.export.ExportJob()
        .run(spark, ai.lvm.export.ExportConfig.from(ai.lvm.config.LvmConfig.of(m)));
    return corpus;
  }

  /**
   * {@code documents} walks of {@code chunks} vectors of {@code walk}, as corpus rows (doc ids
   * {@code d000}, {@code d001}, ...): a corpus a model can learn (docs/training.md).
   */
  public static List<Row> walks(ai.lvm.window.SyntheticWalk walk, int documents, int chunks) {
    List<Row> rows = new java.util.ArrayList<>();
    for (int doc = 0; doc < documents; doc++) {
      float[][] vectors = walk.document(doc, chunks);
      for (int i = 0; i < vectors.length; i++) {
        rows.add(
            org.apache.spark.sql.RowFactory.create(
                String.format("d%03d", doc), i, vectors[i], "c", "test", 0));
      }
    }
    return rows;
  }
}
