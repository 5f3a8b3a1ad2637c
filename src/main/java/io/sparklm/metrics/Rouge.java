package io.sparklm.metrics;

import java.io.Serializable;

/**
 * ROUGE-1, ROUGE-2 and ROUGE-L F-measures (Lin 2004, "ROUGE: A Package for Automatic Evaluation of
 * Summaries", ACL Workshop Text Summarization Branches Out, §2–3) over token ids. Corpus ROUGE is
 * the mean of the per-example F-measures, so shards add the sums of F and the example count
 * ({@link #plus}); it is not the F of pooled n-gram counts.
 *
 * <p>For a candidate X of length n and its reference Y of length m, each F is the harmonic mean
 * 2·P·R / (P + R) (β = 1 in Lin's F_lcs), 0 when P + R = 0:
 * <ul>
 *   <li>ROUGE-N: P = overlap / (n − N + 1), R = overlap / (m − N + 1), where overlap = Σ_g
 *       min(count_X(g), count_Y(g)) over the N-grams g;</li>
 *   <li>ROUGE-L: P = LCS(X, Y) / n, R = LCS(X, Y) / m, with LCS the length of a longest common
 *       subsequence (not necessarily contiguous).</li>
 * </ul>
 * Scores are fractions in [0, 1]; an empty corpus scores 0.
 */
public final class Rouge implements Serializable {
    private double rouge1Sum;
    private double rouge2Sum;
    private double rougeLSum;
    private long examples;

    /** Records one candidate against its reference; returns this. */
    public Rouge add(int[] candidate, int[] reference) {
        rouge1Sum += rougeN(candidate, reference, 1);
        rouge2Sum += rougeN(candidate, reference, 2);
        int lcs = longestCommonSubsequence(candidate, reference);
        rougeLSum += harmonicMean(Ratio.of(lcs, candidate.length), Ratio.of(lcs, reference.length));
        examples++;
        return this;
    }

    /** New sums holding both; neither operand changes. */
    public Rouge plus(Rouge other) {
        Rouge sum = new Rouge();
        sum.rouge1Sum = rouge1Sum + other.rouge1Sum;
        sum.rouge2Sum = rouge2Sum + other.rouge2Sum;
        sum.rougeLSum = rougeLSum + other.rougeLSum;
        sum.examples = examples + other.examples;
        return sum;
    }

    /** The number of examples recorded. */
    public long count() {
        return examples;
    }

    /** Mean ROUGE-1 F over the examples. */
    public double rouge1() {
        return Ratio.of(rouge1Sum, examples);
    }

    /** Mean ROUGE-2 F over the examples. */
    public double rouge2() {
        return Ratio.of(rouge2Sum, examples);
    }

    /** Mean ROUGE-L F over the examples. */
    public double rougeL() {
        return Ratio.of(rougeLSum, examples);
    }

    /** ROUGE-N F of one example. */
    private static double rougeN(int[] candidate, int[] reference, int n) {
        long overlap = NGrams.overlap(NGrams.counts(candidate, n), NGrams.counts(reference, n));
        return harmonicMean(Ratio.of(overlap, NGrams.total(candidate.length, n)),
                Ratio.of(overlap, NGrams.total(reference.length, n)));
    }

    /**
     * The LCS length by the O(n·m) dynamic programme L[i][j] = L[i−1][j−1] + 1 if x_i = y_j, else
     * max(L[i−1][j], L[i][j−1]), keeping two rows.
     */
    static int longestCommonSubsequence(int[] x, int[] y) {
        int[] previous = new int[y.length + 1];
        int[] current = new int[y.length + 1];
        for (int i = 1; i <= x.length; i++) {
            for (int j = 1; j <= y.length; j++) {
                current[j] = x[i - 1] == y[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length];
    }

    /** 2·P·R / (P + R), 0 when P + R = 0. */
    private static double harmonicMean(double precision, double recall) {
        return Ratio.of(2 * precision * recall, precision + recall);
    }
}
