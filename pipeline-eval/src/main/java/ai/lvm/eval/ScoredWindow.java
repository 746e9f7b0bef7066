package ai.lvm.eval;

import java.io.Serializable;

/**
 * One window scored by one scorer, before ranking.
 *
 * @param pool the candidate pool it is ranked in ({@link QuerySet#pool})
 * @param contextDocIds the documents its context reads, in order, each once
 * @param prediction the unit prediction, D floats
 * @param cosine the prediction's cosine with the true target, which is also its score
 * @param excludedDoc with {@code excludedFirst} and {@code excludedLength}: runs of corpus chunks
 *     its ranking ignores (its target, and its context unless context exclusion is off)
 */
record ScoredWindow(
    QueryKey key,
    String pool,
    String targetDocId,
    long targetChunkIndex,
    Integer lane,
    String[] contextDocIds,
    float[] prediction,
    double cosine,
    String[] excludedDoc,
    long[] excludedFirst,
    int[] excludedLength)
    implements Serializable {}
