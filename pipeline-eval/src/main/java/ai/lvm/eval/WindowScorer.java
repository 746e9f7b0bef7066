package ai.lvm.eval;

import ai.lvm.format.WindowSchema;
import ai.lvm.format.WindowValues;
import ai.lvm.job.HadoopSettings;
import ai.lvm.metrics.Ranking;
import ai.lvm.model.LatentVectorModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores the windows of one context size and split, inside a Spark task: every run of that size
 * predicts each window, and so does every baseline, in batches. Models come from a per-JVM pool:
 * each executor loads a run's checkpoint once per concurrently running task (models keep forward
 * state, so two tasks never share one) and reuses it for every later task.
 *
 * @param runs the runs of this context size, and {@code runSets} the query set of each
 * @param baselines the baselines scored, and {@code baselineSets} the query set of each
 * @param hadoop the driver's Hadoop settings, to read checkpoints from the same file systems
 */
record WindowScorer(
    String root,
    Map<String, String> hadoop,
    List<EvaluatedRun> runs,
    int[] runSets,
    List<Scorer> baselines,
    int[] baselineSets,
    int contextSize,
    int dimension,
    String pool,
    boolean excludeContext,
    int batchSize)
    implements Serializable {

  private static final Map<String, ConcurrentLinkedDeque<LatentVectorModel>> IDLE =
      new ConcurrentHashMap<>();

  /** The columns of the window files this reads. */
  static final String[] COLUMNS = {
    WindowSchema.WINDOW_ID,
    WindowSchema.TARGET_DOC_ID,
    WindowSchema.TARGET_CHUNK_INDEX,
    WindowSchema.TARGET,
    WindowSchema.CONTEXT,
    WindowSchema.CONTEXT_SEGMENTS,
    WindowSchema.TARGET_LANE
  };

  /** Scores a partition of window rows (columns {@link #COLUMNS}, read by name). */
  Iterator<ScoredWindow> score(Iterator<Row> rows) {
    List<ScoredWindow> out = new ArrayList<>();
    List<Row> batch = new ArrayList<>(batchSize);
    List<LatentVectorModel> models = borrow();
    try {
      while (rows.hasNext()) {
        batch.add(rows.next());
        if (batch.size() == batchSize || !rows.hasNext()) {
          scoreBatch(batch, models, out);
          batch.clear();
        }
      }
    } finally {
      giveBack(models);
    }
    return out.iterator();
  }

  /**
   * Predictions {@code [b, d]} as flat float32 rows, each renormalised here the same way whoever
   * made it (a model's head, a baseline), so a model still at its base scores its baseline exactly.
   */
  private static float[] unitRows(INDArray predictions, int b, int d) {
    float[] p = predictions.castTo(DataType.FLOAT).dup('c').data().asFloat();
    for (int i = 0; i < b; i++) {
      UnitVectors.normalise(p, i * d, d);
    }
    return p;
  }

  private void scoreBatch(List<Row> batch, List<LatentVectorModel> models, List<ScoredWindow> out) {
    int b = batch.size();
    int c = contextSize;
    int d = dimension;
    float[] contexts = new float[b * c * d];
    float[] targets = new float[b * d];
    for (int i = 0; i < b; i++) {
      Row r = batch.get(i);
      long windowId = r.<Long>getAs(WindowSchema.WINDOW_ID);
      WindowValues.decodeContext(
          windowId, r.<byte[]>getAs(WindowSchema.CONTEXT), c, d, contexts, i * c * d);
      List<Float> target = r.getList(r.fieldIndex(WindowSchema.TARGET));
      WindowValues.requireTargetDimension(windowId, target.size(), d);
      for (int j = 0; j < d; j++) {
        targets[i * d + j] = target.get(j);
      }
      UnitVectors.normalise(targets, i * d, d);
    }
    List<float[]> predictions = new ArrayList<>();
    List<Integer> sets = new ArrayList<>();
    INDArray input = Nd4j.create(contexts, new long[] {b, c, d}, 'c');
    for (int m = 0; m < models.size(); m++) {
      predictions.add(unitRows(models.get(m).forward(input, false), b, d));
      sets.add(runSets[m]);
    }
    for (int k = 0; k < baselines.size(); k++) {
      predictions.add(unitRows(baselines.get(k).predict(input), b, d));
      sets.add(baselineSets[k]);
    }
    for (int i = 0; i < b; i++) {
      Row r = batch.get(i);
      Window w = new Window(r);
      for (int s = 0; s < predictions.size(); s++) {
        float[] p = new float[d];
        System.arraycopy(predictions.get(s), i * d, p, 0, d);
        double cosine = Ranking.dot(p, 0, targets, i * d, d);
        out.add(
            new ScoredWindow(
                new QueryKey(sets.get(s), w.windowId),
                pool,
                w.targetDoc,
                w.targetChunk,
                w.lane,
                w.contextDocs,
                p,
                cosine,
                w.excludedDoc,
                w.excludedFirst,
                w.excludedLength));
      }
    }
  }

  /** The identity fields of a window row and the runs of chunks its ranking ignores. */
  private final class Window {
    final long windowId;
    final String targetDoc;
    final long targetChunk;
    final Integer lane;
    final String[] contextDocs;
    final String[] excludedDoc;
    final long[] excludedFirst;
    final int[] excludedLength;

    Window(Row r) {
      windowId = r.<Long>getAs(WindowSchema.WINDOW_ID);
      targetDoc = r.getAs(WindowSchema.TARGET_DOC_ID);
      targetChunk = r.<Integer>getAs(WindowSchema.TARGET_CHUNK_INDEX);
      lane = r.getAs(WindowSchema.TARGET_LANE);
      List<Row> segments = r.getList(r.fieldIndex(WindowSchema.CONTEXT_SEGMENTS));
      LinkedHashSet<String> docs = new LinkedHashSet<>();
      for (Row s : segments) {
        docs.add(s.getAs(WindowSchema.SEGMENT_DOC_ID));
      }
      contextDocs = docs.toArray(new String[0]);
      int n = 1 + (excludeContext ? segments.size() : 0);
      excludedDoc = new String[n];
      excludedFirst = new long[n];
      excludedLength = new int[n];
      excludedDoc[0] = targetDoc;
      excludedFirst[0] = targetChunk;
      excludedLength[0] = 1;
      for (int i = 1; i < n; i++) {
        Row s = segments.get(i - 1);
        excludedDoc[i] = s.getAs(WindowSchema.SEGMENT_DOC_ID);
        excludedFirst[i] = s.<Integer>getAs(WindowSchema.SEGMENT_FIRST_CHUNK_INDEX);
        excludedLength[i] = s.<Integer>getAs(WindowSchema.SEGMENT_LENGTH);
      }
    }
  }

  private List<LatentVectorModel> borrow() {
    List<LatentVectorModel> models = new ArrayList<>();
    RunCatalog catalog = null;
    for (EvaluatedRun run : runs) {
      LatentVectorModel m =
          IDLE.computeIfAbsent(key(run), k -> new ConcurrentLinkedDeque<>()).pollFirst();
      if (m == null) {
        if (catalog == null) {
          catalog = new RunCatalog(root, HadoopSettings.toConfiguration(hadoop));
        }
        m = catalog.load(run);
      }
      models.add(m);
    }
    return models;
  }

  private void giveBack(List<LatentVectorModel> models) {
    for (int i = 0; i < models.size(); i++) {
      IDLE.get(key(runs.get(i))).addFirst(models.get(i));
    }
  }

  private String key(EvaluatedRun run) {
    return root + "|" + run.runId() + "|" + run.slot() + "|" + run.epoch();
  }
}
