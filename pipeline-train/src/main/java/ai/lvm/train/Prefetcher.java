package ai.lvm.train;

import ai.lvm.reader.WindowBatch;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batch source on a background thread, {@code depth} batches ahead, so Parquet decoding and
 * shuffling overlap the model's compute. The order is the source's: one producer thread, so
 * prefetching never changes what the trainer sees. Failures in the source surface on the consumer
 * thread at the batch where they happened.
 */
final class Prefetcher implements BatchStream {
  private static final Logger LOG = LoggerFactory.getLogger(Prefetcher.class);
  private static final Object END = new Object();

  private record Failure(Throwable cause) {}

  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private Object head;
  private boolean done;

  Prefetcher(Iterator<WindowBatch> source, AutoCloseable resource, int depth, String name) {
    this.queue = new ArrayBlockingQueue<>(Math.max(1, depth));
    this.thread =
        new Thread(
            () -> {
              try {
                while (source.hasNext()) {
                  queue.put(source.next());
                }
                queue.put(END);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Throwable t) {
                try {
                  queue.put(new Failure(t));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              } finally {
                try {
                  resource.close();
                } catch (Exception e) {
                  LOG.warn("Cannot close {}: {}", name, e.toString());
                }
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public boolean hasNext() {
    if (done) {
      return false;
    }
    if (head == null) {
      try {
        head = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the next batch", e);
      }
    }
    if (head == END) {
      done = true;
      return false;
    }
    if (head instanceof Failure f) {
      done = true;
      if (f.cause() instanceof RuntimeException r) {
        throw r;
      }
      if (f.cause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("reading batches failed", f.cause());
    }
    return true;
  }

  @Override
  public WindowBatch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    WindowBatch b = (WindowBatch) head;
    head = null;
    return b;
  }

  @Override
  public void close() {
    done = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
