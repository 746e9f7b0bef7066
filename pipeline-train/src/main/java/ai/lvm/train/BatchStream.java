package ai.lvm.train;

import ai.lvm.reader.WindowBatch;
import java.util.Iterator;

/** Batches read lazily from storage; closing releases readers and background threads. */
public interface BatchStream extends Iterator<WindowBatch>, AutoCloseable {
  @Override
  void close();
}
