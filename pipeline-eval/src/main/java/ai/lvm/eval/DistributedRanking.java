package ai.lvm.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.not;

import ai.lvm.format.CorpusSchema;
import ai.lvm.format.WindowSchema;
import ai.lvm.metrics.BankProduct;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * Exact ranking of every query against its pool, distributed: the bank is cut into sorted blocks
 * (cached on the executors), the queries into blocks per pool, every (query block, bank block) pair
 * of the same pool is one task-local matrix product ({@link BlockRanker}), and the partial counts
 * and neighbour lists are merged per query. Neither the bank nor the queries pass through the
 * driver.
 */
final class DistributedRanking {
  private DistributedRanking() {}

  /**
   * The candidates of a pool as blocks of at most {@code blockSize} unit vectors. Rows whose vector
   * is missing, of another dimension, non-finite or zero are not candidates (the export refuses or
   * drops them too).
   *
   * @param rows columns {@code docId}, {@code chunkIndex} (long), {@code vector} (array of float)
   */
  static JavaRDD<BankBlock> bankBlocks(
      Dataset<Row> rows, String pool, int dimension, int blockSize, int partitions) {
    return rows.as(Encoders.bean(BankRow.class))
        .toJavaRDD()
        .repartition(partitions)
        .mapPartitions(
            (Iterator<BankRow> it) -> {
              List<BankBlock> blocks = new ArrayList<>();
              List<BankBlock.Entry> entries = new ArrayList<>(blockSize);
              while (it.hasNext()) {
                BankRow r = it.next();
                float[] v = r.getVector();
                if (!usable(v, dimension)) {
                  continue;
                }
                float[] unit = v.clone();
                UnitVectors.normalise(unit, 0, dimension);
                entries.add(new BankBlock.Entry(r.getDocId(), r.getChunkIndex(), unit));
                if (entries.size() == blockSize) {
                  blocks.add(BankBlock.of(pool, dimension, entries));
                  entries.clear();
                }
              }
              if (!entries.isEmpty()) {
                blocks.add(BankBlock.of(pool, dimension, entries));
              }
              return blocks.iterator();
            });
  }

  /** The corpus as bank rows (a vector with a null element is no candidate). */
  static Dataset<Row> corpusRows(Dataset<Row> corpus) {
    return corpus
        .filter(not(exists(col(CorpusSchema.VECTOR), Column::isNull)))
        .select(
            col(CorpusSchema.DOC_ID).as("docId"),
            col(CorpusSchema.CHUNK_INDEX).cast(DataTypes.LongType).as("chunkIndex"),
            col(CorpusSchema.VECTOR)
                .cast(DataTypes.createArrayType(DataTypes.FloatType))
                .as("vector"));
  }

  /** The targets of a split's windows as bank rows. */
  static Dataset<Row> targetRows(Dataset<Row> windows) {
    return windows.select(
        col(WindowSchema.TARGET_DOC_ID).as("docId"),
        col(WindowSchema.TARGET_CHUNK_INDEX).cast(DataTypes.LongType).as("chunkIndex"),
        col(WindowSchema.TARGET).as("vector"));
  }

  private static boolean usable(float[] v, int dimension) {
    if (v == null || v.length != dimension) {
      return false;
    }
    boolean nonZero = false;
    for (float x : v) {
      if (!Float.isFinite(x)) {
        return false;
      }
      nonZero |= x != 0;
    }
    return nonZero;
  }

  /** Each query's merged rank data: above-count, eligible candidates and best neighbours. */
  static JavaPairRDD<QueryKey, PartialRank> rank(
      JavaRDD<ScoredWindow> queries,
      JavaRDD<BankBlock> bank,
      int dimension,
      int queryBlock,
      int k) {
    JavaRDD<QueryBlock> blocks =
        queries.mapPartitions(
            (Iterator<ScoredWindow> it) -> {
              Map<String, List<ScoredWindow>> byPool = new LinkedHashMap<>();
              List<QueryBlock> out = new ArrayList<>();
              while (it.hasNext()) {
                ScoredWindow q = it.next();
                List<ScoredWindow> pending =
                    byPool.computeIfAbsent(q.pool(), p -> new ArrayList<>(queryBlock));
                pending.add(q);
                if (pending.size() == queryBlock) {
                  out.add(new QueryBlock(q.pool(), dimension, pending));
                  pending.clear();
                }
              }
              byPool.forEach(
                  (pool, pending) -> {
                    if (!pending.isEmpty()) {
                      out.add(new QueryBlock(pool, dimension, pending));
                    }
                  });
              return out.iterator();
            });
    return blocks
        .cartesian(bank)
        .mapPartitionsToPair(pairs -> new PairRanks(pairs, k))
        .reduceByKey(PartialRank::merge);
  }

  /**
   * The partial ranks of a task's (query block, bank block) pairs, ranked lazily pair by pair with
   * one {@link BankProduct} for the whole task, so its product buffer is reused by every pair.
   */
  private static final class PairRanks implements Iterator<Tuple2<QueryKey, PartialRank>> {
    private final Iterator<Tuple2<QueryBlock, BankBlock>> pairs;
    private final int k;
    private final BankProduct kernel = new BankProduct();
    private QueryKey[] keys = new QueryKey[0];
    private PartialRank[] ranks = new PartialRank[0];
    private int next;

    PairRanks(Iterator<Tuple2<QueryBlock, BankBlock>> pairs, int k) {
      this.pairs = pairs;
      this.k = k;
    }

    @Override
    public boolean hasNext() {
      while (next == ranks.length && pairs.hasNext()) {
        Tuple2<QueryBlock, BankBlock> pair = pairs.next();
        QueryBlock q = pair._1();
        BankBlock b = pair._2();
        if (q.pool.equals(b.pool)) {
          keys = q.keys;
          ranks = BlockRanker.rank(q, b, k, kernel);
          next = 0;
        }
      }
      return next < ranks.length;
    }

    @Override
    public Tuple2<QueryKey, PartialRank> next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      Tuple2<QueryKey, PartialRank> t = new Tuple2<>(keys[next], ranks[next]);
      next++;
      return t;
    }
  }
}
