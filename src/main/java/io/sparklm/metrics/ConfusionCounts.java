package io.sparklm.metrics;

import java.io.Serializable;

/**
 * The K × K confusion matrix of a classifier: n[t][p] counts examples of true class t predicted
 * as p. Shards add their matrices ({@link #plus}); every figure is a ratio of global counts.
 *
 * <p>For a class c, with TP = n[c][c], FP = Σ_{t≠c} n[t][c] and FN = Σ_{p≠c} n[c][p]:
 * precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2·TP / (2·TP + FP + FN) (the harmonic
 * mean of precision and recall; van Rijsbergen 1979, "Information Retrieval", ch. 7), accuracy =
 * Σ_c n[c][c] / Σ n, and macro-F1 = the unweighted mean of the K per-class F1, as scikit-learn's
 * {@code f1_score(average="macro")} (not the F1 of macro-averaged precision and recall). A ratio
 * 0/0 is 0, as with scikit-learn's {@code zero_division=0}. Binary precision, recall and F1 are
 * those of the positive class.
 */
public final class ConfusionCounts implements Serializable {
    private final long[][] counts;

    /** An empty matrix over classes 0 … classes − 1. */
    public ConfusionCounts(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        counts = new long[classes][classes];
    }

    public int classes() {
        return counts.length;
    }

    /** Records one example of class {@code trueLabel} predicted as {@code predicted}; returns this. */
    public ConfusionCounts add(int trueLabel, int predicted) {
        counts[checkClass("true label", trueLabel)][checkClass("predicted label", predicted)]++;
        return this;
    }

    /** A new matrix holding the counts of both; neither operand changes. */
    public ConfusionCounts plus(ConfusionCounts other) {
        if (other.classes() != classes()) {
            throw new IllegalArgumentException("cannot add a " + other.classes() + "-class confusion matrix to a "
                    + classes() + "-class one");
        }
        ConfusionCounts sum = new ConfusionCounts(classes());
        for (int t = 0; t < classes(); t++) {
            for (int p = 0; p < classes(); p++) {
                sum.counts[t][p] = counts[t][p] + other.counts[t][p];
            }
        }
        return sum;
    }

    /** n[trueLabel][predicted]. */
    public long count(int trueLabel, int predicted) {
        return counts[checkClass("true label", trueLabel)][checkClass("predicted label", predicted)];
    }

    /** Σ n: the number of examples. */
    public long total() {
        long total = 0;
        for (long[] row : counts) {
            for (long n : row) {
                total += n;
            }
        }
        return total;
    }

    /** Σ_c n[c][c] / Σ n. */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < classes(); c++) {
            correct += counts[c][c];
        }
        return Ratio.of(correct, total());
    }

    /** TP / (TP + FP) of class {@code c}: of the examples predicted c, the fraction that are c. */
    public double precision(int c) {
        return Ratio.of(counts[checkClass("class", c)][c], predictedAs(c));
    }

    /** TP / (TP + FN) of class {@code c}: of the examples of class c, the fraction predicted c. */
    public double recall(int c) {
        return Ratio.of(counts[checkClass("class", c)][c], ofClass(c));
    }

    /** 2·TP / (2·TP + FP + FN) of class {@code c}. */
    public double f1(int c) {
        long truePositives = counts[checkClass("class", c)][c];
        return Ratio.of(2 * truePositives, predictedAs(c) + ofClass(c));
    }

    /** (1/K) Σ_c F1(c). */
    public double macroF1() {
        double sum = 0;
        for (int c = 0; c < classes(); c++) {
            sum += f1(c);
        }
        return sum / classes();
    }

    /**
     * The matrix as text, one row per true class and one column per predicted class, counts
     * right-aligned:
     * <pre>
     * true\pred  0  1
     *         0  4  1
     *         1  2  3
     * </pre>
     */
    public String matrixText() {
        int width = Long.toString(classes() - 1).length();
        for (long[] row : counts) {
            for (long n : row) {
                width = Math.max(width, Long.toString(n).length());
            }
        }
        String corner = "true\\pred";
        String cell = "  %" + width + "s";
        StringBuilder text = new StringBuilder(corner);
        for (int p = 0; p < classes(); p++) {
            text.append(String.format(cell, p));
        }
        for (int t = 0; t < classes(); t++) {
            text.append('\n').append(String.format("%" + corner.length() + "s", t));
            for (int p = 0; p < classes(); p++) {
                text.append(String.format(cell, counts[t][p]));
            }
        }
        return text.append('\n').toString();
    }

    /** TP + FP: Σ_t n[t][c]. */
    private long predictedAs(int c) {
        long n = 0;
        for (long[] row : counts) {
            n += row[c];
        }
        return n;
    }

    /** TP + FN: Σ_p n[c][p]. */
    private long ofClass(int c) {
        long n = 0;
        for (long count : counts[c]) {
            n += count;
        }
        return n;
    }

    private int checkClass(String what, int c) {
        if (c < 0 || c >= classes()) {
            throw new IllegalArgumentException(what + " " + c + " is outside the classes 0.." + (classes() - 1));
        }
        return c;
    }
}
