package io.sparklm.metrics;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;

/**
 * Distinct-n (Li et al. 2016, "A Diversity-Promoting Objective Function for Neural Conversation
 * Models", NAACL): the number of distinct n-grams in a corpus of generated texts divided by
 * the total number of n-grams in it, a measure of lexical diversity in [0, 1].
 *
 * <p>Shards add their totals and take the union of their n-gram sets ({@link #plus}), so the figure
 * is exact for the whole corpus; the price is one set entry per distinct n-gram seen. An n-gram
 * never spans two texts. An empty corpus scores 0.
 */
public final class DistinctN implements Serializable {
    private final int n;
    private final Set<NGrams.Gram> distinct = new HashSet<>();
    private long total;

    /** Empty counts for n-grams of order {@code n} ≥ 1. */
    public DistinctN(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("distinct-n needs n ≥ 1, got " + n);
        }
        this.n = n;
    }

    public int n() {
        return n;
    }

    /** Records the n-grams of one text; returns this. */
    public DistinctN add(int[] tokens) {
        distinct.addAll(NGrams.counts(tokens, n).keySet());
        total += NGrams.total(tokens.length, n);
        return this;
    }

    /** New counts over both corpora; neither operand changes. */
    public DistinctN plus(DistinctN other) {
        if (other.n != n) {
            throw new IllegalArgumentException("cannot add distinct-" + other.n + " counts to distinct-" + n + " counts");
        }
        DistinctN sum = new DistinctN(n);
        sum.distinct.addAll(distinct);
        sum.distinct.addAll(other.distinct);
        sum.total = total + other.total;
        return sum;
    }

    /** The number of distinct n-grams seen. */
    public long distinct() {
        return distinct.size();
    }

    /** The number of n-grams seen, with repeats. */
    public long total() {
        return total;
    }

    /** distinct / total. */
    public double score() {
        return Ratio.of(distinct(), total);
    }
}
