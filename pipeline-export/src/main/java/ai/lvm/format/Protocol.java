package ai.lvm.format;

/**
 * How windows are cut and split. Recorded in every snapshot manifest; see docs/protocols.md.
 *
 * <ul>
 *   <li>{@link #ARTICLE} (default): documents go to train/val/test by a stable hash of {@code
 *       doc_id}; each split's documents form their own ordered stream; windows are cut per stream,
 *       so no target of one split is inside a context or target of another.
 *   <li>{@link #SEED}: the reference system exactly: one flat stream in corpus order, {@code (N - C
 *       - 1) / stride} windows, a seeded random 10% of windows held out as test and a random 10% of
 *       the rest as val (overlapping windows leak text across splits, as they did there).
 * </ul>
 */
public enum Protocol {
  ARTICLE,
  SEED
}
