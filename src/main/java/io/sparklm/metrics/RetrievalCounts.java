package io.sparklm.metrics;

import java.io.Serializable;

/**
 * Ranking figures for queries with one correct item each, from the 1-based rank at which the
 * correct item came back, or its absence from the results. Shards add the sums ({@link #plus}).
 *
 * <p>Over Q queries with ranks rank_q (1/rank_q taken as 0 when the item is absent):
 * <pre>
 *   MRR = (1/Q) Σ_q 1/rank_q                 hits@k = (1/Q) Σ_q [rank_q ≤ k]
 * </pre>
 * (Voorhees 1999, "The TREC-8 Question Answering Track Report", for MRR); with one correct item
 * per query, hits@k is recall@k. An empty set of queries scores 0.
 */
public final class RetrievalCounts implements Serializable {
    private double reciprocalRankSum;
    private long hitsAt1;
    private long hitsAt5;
    private long queries;

    /** Records a query whose correct item came back at 1-based {@code rank}; returns this. */
    public RetrievalCounts add(int rank) {
        if (rank < 1) {
            throw new IllegalArgumentException("ranks are 1-based, got " + rank + ": record a missing item with addAbsent()");
        }
        reciprocalRankSum += 1.0 / rank;
        hitsAt1 += rank <= 1 ? 1 : 0;
        hitsAt5 += rank <= 5 ? 1 : 0;
        queries++;
        return this;
    }

    /** Records a query whose correct item did not come back at all; returns this. */
    public RetrievalCounts addAbsent() {
        queries++;
        return this;
    }

    /** New sums over both sets of queries; neither operand changes. */
    public RetrievalCounts plus(RetrievalCounts other) {
        RetrievalCounts sum = new RetrievalCounts();
        sum.reciprocalRankSum = reciprocalRankSum + other.reciprocalRankSum;
        sum.hitsAt1 = hitsAt1 + other.hitsAt1;
        sum.hitsAt5 = hitsAt5 + other.hitsAt5;
        sum.queries = queries + other.queries;
        return sum;
    }

    /** Q: the number of queries recorded. */
    public long count() {
        return queries;
    }

    /** Mean reciprocal rank. */
    public double meanReciprocalRank() {
        return Ratio.of(reciprocalRankSum, queries);
    }

    /** The fraction of queries whose correct item ranked first. */
    public double hitsAt1() {
        return Ratio.of(hitsAt1, queries);
    }

    /** The fraction of queries whose correct item ranked in the first five. */
    public double hitsAt5() {
        return Ratio.of(hitsAt5, queries);
    }
}
