package io.sparklm.metrics;

import java.io.Serializable;

/**
 * Area under the ROC curve of a two-class scorer, from one histogram of scores per class, so shards
 * add their histograms ({@link #plus}) and the area is taken once from the totals.
 *
 * <p>The area is the Mann–Whitney form (Hanley &amp; McNeil 1982, "The meaning and use of the area
 * under a receiver operating characteristic (ROC) curve", Radiology 143): over the P·N pairs of a
 * positive score s⁺ and a negative score s⁻,
 * <pre>
 *   AUC = (1 / (P·N)) · Σ_pairs ( [b(s⁺) &gt; b(s⁻)] + ½·[b(s⁺) = b(s⁻)] )
 * </pre>
 * the probability that a random positive outscores a random negative, ties counting half.
 *
 * <p>Resolution: scores in [0, 1] are compared by their bin b(s) = min(B − 1, ⌊s·B⌋) among B equal
 * bins (default {@value #DEFAULT_BINS}, width 1/B ≈ 1.5·10⁻⁵). The result is exactly the pairwise
 * area of the binned scores; it equals the area of the raw scores when no positive and negative
 * scores that differ share a bin, and differs from it by at most half the fraction of pairs that
 * do. A histogram costs 2·B longs (1 MiB at the default) whatever the number of examples.
 */
public final class RocAucCounts implements Serializable {
    public static final int DEFAULT_BINS = 1 << 16;

    private final long[] positives;
    private final long[] negatives;

    /** Empty histograms of {@value #DEFAULT_BINS} bins. */
    public RocAucCounts() {
        this(DEFAULT_BINS);
    }

    /** Empty histograms of {@code bins} equal bins over [0, 1]. */
    public RocAucCounts(int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("the score histogram needs at least 1 bin, got " + bins);
        }
        positives = new long[bins];
        negatives = new long[bins];
    }

    public int bins() {
        return positives.length;
    }

    /** Records one example: its score in [0, 1] and its label, 1 (positive) or 0 (negative); returns this. */
    public RocAucCounts add(double score, int label) {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("ROC-AUC scores must lie in [0, 1], got " + score
                    + ": pass a probability, e.g. a sigmoid or softmax output");
        }
        if (label != 0 && label != 1) {
            throw new IllegalArgumentException("ROC-AUC labels are 0 (negative) or 1 (positive), got " + label);
        }
        (label == 1 ? positives : negatives)[bin(score)]++;
        return this;
    }

    /** A new pair of histograms holding the counts of both; neither operand changes. */
    public RocAucCounts plus(RocAucCounts other) {
        if (other.bins() != bins()) {
            throw new IllegalArgumentException("cannot add a " + other.bins() + "-bin score histogram to a "
                    + bins() + "-bin one");
        }
        RocAucCounts sum = new RocAucCounts(bins());
        for (int b = 0; b < bins(); b++) {
            sum.positives[b] = positives[b] + other.positives[b];
            sum.negatives[b] = negatives[b] + other.negatives[b];
        }
        return sum;
    }

    /** P: the number of positive examples. */
    public long positives() {
        return sum(positives);
    }

    /** N: the number of negative examples. */
    public long negatives() {
        return sum(negatives);
    }

    /**
     * The area: Σ_b pos[b]·(Σ_{b'&lt;b} neg[b'] + ½·neg[b]) / (P·N). NaN when either class has no
     * examples, for then no pair exists and the area is undefined.
     */
    public double auc() {
        double twiceWins = 0;
        long negativesBelow = 0;
        for (int b = 0; b < bins(); b++) {
            twiceWins += positives[b] * (2.0 * negativesBelow + negatives[b]);
            negativesBelow += negatives[b];
        }
        double pairs = (double) positives() * negatives();
        return pairs == 0 ? Double.NaN : twiceWins / (2 * pairs);
    }

    /** b(s) = min(B − 1, ⌊s·B⌋). */
    private int bin(double score) {
        return (int) Math.min(bins() - 1, Math.floor(score * bins()));
    }

    private static long sum(long[] histogram) {
        long n = 0;
        for (long count : histogram) {
            n += count;
        }
        return n;
    }
}
