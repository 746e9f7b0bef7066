package ai.lvm.train;

import ai.lvm.reader.WindowBatch;
import ai.lvm.reader.WindowReader;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.SplittableRandom;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A streaming shuffle of windows: a buffer of {@code capacity} windows from which a seeded
 * generator draws each next window, refilled from the reader, so memory stays at the buffer while
 * the order mixes beyond neighbouring (overlapping) windows. Draws are grouped into micro-batches,
 * which are therefore different groups every epoch (InfoNCE negatives change too). Deterministic
 * given the reader's order and the generator.
 */
final class ShuffledBatches implements Iterator<WindowBatch> {
  private record Window(long id, float[] context, float[] target) {}

  private final WindowReader reader;
  private final SplittableRandom rng;
  private final int microBatch;
  private final int contextSize;
  private final int dimension;
  private final Window[] pool;
  private final ArrayDeque<Window> read = new ArrayDeque<>();
  private int size;
  private boolean exhausted;

  ShuffledBatches(
      WindowReader reader,
      SplittableRandom rng,
      int capacity,
      int microBatch,
      int contextSize,
      int dimension) {
    this.reader = reader;
    this.rng = rng;
    this.microBatch = microBatch;
    this.contextSize = contextSize;
    this.dimension = dimension;
    this.pool = new Window[Math.max(1, capacity)];
  }

  @Override
  public boolean hasNext() {
    fill();
    return size > 0;
  }

  @Override
  public WindowBatch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    int cd = contextSize * dimension;
    long[] ids = new long[microBatch];
    float[] contexts = new float[microBatch * cd];
    float[] targets = new float[microBatch * dimension];
    int n = 0;
    while (n < microBatch) {
      fill();
      if (size == 0) {
        break;
      }
      int j = rng.nextInt(size);
      Window w = pool[j];
      pool[j] = pool[--size];
      pool[size] = null;
      ids[n] = w.id();
      System.arraycopy(w.context(), 0, contexts, n * cd, cd);
      System.arraycopy(w.target(), 0, targets, n * dimension, dimension);
      n++;
    }
    if (n < microBatch) {
      ids = Arrays.copyOf(ids, n);
      contexts = Arrays.copyOf(contexts, n * cd);
      targets = Arrays.copyOf(targets, n * dimension);
    }
    return new WindowBatch(
        ids,
        Nd4j.create(contexts, new long[] {n, contextSize, dimension}, 'c'),
        Nd4j.create(targets, new long[] {n, dimension}, 'c'));
  }

  private void fill() {
    while (size < pool.length) {
      if (read.isEmpty()) {
        if (exhausted) {
          return;
        }
        Optional<WindowBatch> b = reader.next(Math.min(pool.length, Math.max(microBatch, 16)));
        if (b.isEmpty()) {
          exhausted = true;
          return;
        }
        explode(b.get());
      }
      pool[size++] = read.poll();
    }
  }

  private void explode(WindowBatch b) {
    int cd = contextSize * dimension;
    float[] contexts = b.contexts().data().asFloat();
    float[] targets = b.targets().data().asFloat();
    for (int i = 0; i < b.size(); i++) {
      float[] c = new float[cd];
      float[] t = new float[dimension];
      System.arraycopy(contexts, i * cd, c, 0, cd);
      System.arraycopy(targets, i * dimension, t, 0, dimension);
      read.add(new Window(b.windowIds()[i], c, t));
    }
  }
}
