package ai.lvm.eval;

import java.io.Serializable;

/**
 * What one bank block says about one query: how many of its eligible candidates beat the true
 * target, how many were eligible, and the best of them. Ranks are exact because counts add up
 * across blocks: rank = 1 + the sum of {@code above}.
 */
record PartialRank(long above, long candidates, Neighbours neighbours) implements Serializable {
  PartialRank merge(PartialRank other) {
    return new PartialRank(
        above + other.above, candidates + other.candidates, neighbours.merge(other.neighbours));
  }
}
