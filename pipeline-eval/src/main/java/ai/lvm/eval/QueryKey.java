package ai.lvm.eval;

import java.io.Serializable;

/**
 * One query of an evaluation: a window scored by one scorer.
 *
 * @param set the index of its {@link QuerySet}
 * @param windowId the window's {@code window_id}
 */
record QueryKey(int set, long windowId) implements Serializable {}
