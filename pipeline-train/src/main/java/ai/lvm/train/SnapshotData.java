package ai.lvm.train;

import ai.lvm.config.InvalidInputException;
import ai.lvm.format.Snapshot;
import ai.lvm.format.SnapshotManifest;
import ai.lvm.format.Split;
import ai.lvm.reader.WindowBatch;
import ai.lvm.reader.WindowReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Training data from a published window snapshot, streamed through the Hadoop FileSystem API: per
 * epoch the training files are visited in a seeded order and windows pass through a seeded shuffle
 * buffer of bounded size ({@link ShuffledBatches}); a background thread reads ahead ({@link
 * Prefetcher}). Memory is the shuffle buffer plus a few batches, whatever the snapshot's size.
 */
public final class SnapshotData implements TrainingData {
  /** Default shuffle buffer: windows up to this many bytes (at least one micro-batch). */
  public static final long DEFAULT_SHUFFLE_BYTES = 256L << 20;

  private static final int PREFETCH_DEPTH = 2;

  private final Snapshot snapshot;
  private final int contextSize;
  private final int dimension;
  private final Configuration conf;
  private final long shuffleBytes;
  private CorpusBank corpusBank;

  private SnapshotData(
      Snapshot snapshot, int contextSize, int dimension, Configuration conf, long shuffleBytes) {
    this.snapshot = snapshot;
    this.contextSize = contextSize;
    this.dimension = dimension;
    this.conf = conf;
    this.shuffleBytes = shuffleBytes;
  }

  /**
   * The windows of context size {@code contextSize} in {@code snapshot}, checked against the
   * model's dimension and the manifest's sufficiency verdict.
   *
   * @param allowInsufficient train a size the manifest marks insufficient ({@code
   *     lvm.train.allow-insufficient})
   * @param shuffleBytes memory for the shuffle buffer
   */
  public static SnapshotData open(
      Snapshot snapshot,
      int contextSize,
      int dimension,
      boolean allowInsufficient,
      long shuffleBytes,
      Configuration conf) {
    SnapshotManifest m = snapshot.manifest();
    if (m.corpus() != null && m.corpus().dimension() != dimension) {
      throw new InvalidInputException(
          "Snapshot '"
              + m.snapshotId()
              + "' holds vectors of dimension "
              + m.corpus().dimension()
              + " but the model is configured for "
              + dimension
              + ".");
    }
    snapshot.data(contextSize, Split.TRAIN); // fails with the sizes it has
    if (!allowInsufficient) {
      Sufficiency.problem(m, contextSize)
          .ifPresent(
              why -> {
                throw new InvalidInputException(
                    "Cannot train on snapshot '"
                        + m.snapshotId()
                        + "': "
                        + why
                        + ". "
                        + Sufficiency.HOW_TO_FORCE);
              });
    }
    if (shuffleBytes < 1) {
      throw new IllegalArgumentException("shuffle buffer bytes must be >= 1, got " + shuffleBytes);
    }
    return new SnapshotData(
        snapshot, contextSize, dimension, new Configuration(conf), shuffleBytes);
  }

  @Override
  public int contextSize() {
    return contextSize;
  }

  @Override
  public String snapshotId() {
    return snapshot.manifest().snapshotId();
  }

  @Override
  public BatchStream training(long seed, int epoch, int microBatch) {
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, epoch));
    List<Path> files =
        new ArrayList<>(WindowReader.files(conf, snapshot.data(contextSize, Split.TRAIN)));
    for (int i = files.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      Path t = files.get(i);
      files.set(i, files.get(j));
      files.set(j, t);
    }
    long windowBytes = ((long) contextSize + 1) * dimension * Float.BYTES;
    int capacity =
        (int) Math.max(microBatch, Math.min(Integer.MAX_VALUE, shuffleBytes / windowBytes));
    WindowReader reader = WindowReader.open(conf, files, contextSize, dimension);
    return new Prefetcher(
        new ShuffledBatches(reader, rng, capacity, microBatch, contextSize, dimension),
        reader,
        PREFETCH_DEPTH,
        "lvm-prefetch-train-" + epoch);
  }

  /** The corpus the snapshot was cut from (its manifest's path), loaded once. */
  @Override
  public synchronized Optional<CorpusBank> corpusBank() {
    if (corpusBank == null) {
      SnapshotManifest.Corpus c = snapshot.manifest().corpus();
      if (c == null) {
        return Optional.empty();
      }
      corpusBank = CorpusBank.load(conf, new Path(c.path()), dimension);
    }
    return Optional.of(corpusBank);
  }

  @Override
  public BatchStream validation(int batchSize) {
    WindowReader reader =
        WindowReader.openWithSegments(
            conf, snapshot.data(contextSize, Split.VAL), contextSize, dimension);
    Iterator<WindowBatch> source =
        new Iterator<>() {
          private Optional<WindowBatch> next;

          @Override
          public boolean hasNext() {
            if (next == null) {
              next = reader.next(batchSize);
            }
            return next.isPresent();
          }

          @Override
          public WindowBatch next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            WindowBatch b = next.get();
            next = null;
            return b;
          }
        };
    return new Prefetcher(source, reader, PREFETCH_DEPTH, "lvm-prefetch-val");
  }
}
