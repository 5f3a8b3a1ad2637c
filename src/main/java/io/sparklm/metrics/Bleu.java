package io.sparklm.metrics;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Corpus BLEU (Papineni et al. 2002, "BLEU: a Method for Automatic Evaluation of Machine
 * Translation", ACL), unsmoothed, over token ids, from counts that shards add ({@link #plus}).
 *
 * <p>For each n = 1 … N, the modified precision sums over the corpus:
 * <pre>
 *   p_n = Σ_cand Σ_g min(count_cand(g), max_ref count_ref(g)) / Σ_cand Σ_g count_cand(g)
 * </pre>
 * over the n-grams g of each candidate, clipped by the most times g occurs in any one of its
 * references. With c the total candidate length and r the total effective reference length (for
 * each candidate, the length of the reference closest to it, the shorter on a tie),
 * <pre>
 *   BP = 1 if c &gt; r, else e^(1 − r/c)        BLEU-N = BP · exp((1/N) Σ_{n=1..N} log p_n)
 * </pre>
 * and BLEU-N is 0 when any p_n is 0 (no smoothing). Scores are fractions in [0, 1], not percent.
 */
public final class Bleu implements Serializable {
    public static final int DEFAULT_MAX_ORDER = 4;

    private final long[] matches;
    private final long[] totals;
    private long candidateLength;
    private long referenceLength;

    /** Empty counts for n-grams up to order {@value #DEFAULT_MAX_ORDER}. */
    public Bleu() {
        this(DEFAULT_MAX_ORDER);
    }

    /** Empty counts for n-grams of order 1 … {@code maxOrder}. */
    public Bleu(int maxOrder) {
        if (maxOrder < 1) {
            throw new IllegalArgumentException("BLEU needs a maximum n-gram order ≥ 1, got " + maxOrder);
        }
        matches = new long[maxOrder];
        totals = new long[maxOrder];
    }

    /** N: the largest n-gram order counted. */
    public int maxOrder() {
        return matches.length;
    }

    /** Records one candidate against its references (at least one); returns this. */
    public Bleu add(int[] candidate, int[]... references) {
        if (references.length == 0) {
            throw new IllegalArgumentException("BLEU needs at least one reference per candidate");
        }
        for (int n = 1; n <= maxOrder(); n++) {
            Map<NGrams.Gram, Integer> mostInAnyReference = new HashMap<>();
            for (int[] reference : references) {
                NGrams.counts(reference, n).forEach((gram, count) -> mostInAnyReference.merge(gram, count, Math::max));
            }
            matches[n - 1] += NGrams.overlap(NGrams.counts(candidate, n), mostInAnyReference);
            totals[n - 1] += NGrams.total(candidate.length, n);
        }
        candidateLength += candidate.length;
        referenceLength += closestLength(candidate.length, references);
        return this;
    }

    /** New counts holding the sums of both; neither operand changes. */
    public Bleu plus(Bleu other) {
        if (other.maxOrder() != maxOrder()) {
            throw new IllegalArgumentException("cannot add BLEU counts up to order " + other.maxOrder()
                    + " to counts up to order " + maxOrder());
        }
        Bleu sum = new Bleu(maxOrder());
        for (int i = 0; i < maxOrder(); i++) {
            sum.matches[i] = matches[i] + other.matches[i];
            sum.totals[i] = totals[i] + other.totals[i];
        }
        sum.candidateLength = candidateLength + other.candidateLength;
        sum.referenceLength = referenceLength + other.referenceLength;
        return sum;
    }

    /** The clipped n-gram matches: the numerator of p_n. */
    public long matches(int n) {
        return matches[checkOrder(n) - 1];
    }

    /** The candidate n-grams: the denominator of p_n. */
    public long total(int n) {
        return totals[checkOrder(n) - 1];
    }

    /** p_n = matches(n) / total(n), 0 when there are no candidate n-grams. */
    public double precision(int n) {
        return Ratio.of(matches(n), total(n));
    }

    /** c: the total candidate length in tokens. */
    public long candidateLength() {
        return candidateLength;
    }

    /** r: the total effective reference length in tokens. */
    public long referenceLength() {
        return referenceLength;
    }

    /** BP = 1 if c &gt; r, else e^(1 − r/c); 0 when c = 0. */
    public double brevityPenalty() {
        if (candidateLength > referenceLength) {
            return 1;
        }
        return candidateLength == 0 ? 0 : Math.exp(1 - (double) referenceLength / candidateLength);
    }

    /** BLEU-N with N = {@link #maxOrder()}. */
    public double score() {
        return score(maxOrder());
    }

    /** BLEU-n = BP · exp((1/n) Σ_{k=1..n} log p_k), 0 when any p_k is 0; 1 ≤ n ≤ {@link #maxOrder()}. */
    public double score(int n) {
        double logSum = 0;
        for (int k = 1; k <= checkOrder(n); k++) {
            if (matches(k) == 0) {
                return 0;
            }
            logSum += Math.log(precision(k));
        }
        return brevityPenalty() * Math.exp(logSum / n);
    }

    /** The length of the reference closest to {@code length}, the shorter of two equally close. */
    private static int closestLength(int length, int[][] references) {
        int best = references[0].length;
        for (int[] reference : references) {
            int distance = Math.abs(reference.length - length);
            int bestDistance = Math.abs(best - length);
            if (distance < bestDistance || distance == bestDistance && reference.length < best) {
                best = reference.length;
            }
        }
        return best;
    }

    private int checkOrder(int n) {
        if (n < 1 || n > maxOrder()) {
            throw new IllegalArgumentException("n-gram order " + n + " is outside 1.." + maxOrder()
                    + ": count higher orders with new Bleu(" + n + ")");
        }
        return n;
    }
}
