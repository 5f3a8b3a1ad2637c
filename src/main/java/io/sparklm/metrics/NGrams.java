package io.sparklm.metrics;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The n-grams of a token sequence with their multiplicities: the n-grams of x₁…x_L are the
 * L − n + 1 windows (x_i, …, x_{i+n−1}), none when L &lt; n.
 */
final class NGrams {
    private NGrams() {
    }

    /** One n-gram, compared by its tokens. */
    record Gram(int[] tokens) implements Serializable {
        @Override
        public boolean equals(Object other) {
            return other instanceof Gram gram && Arrays.equals(tokens, gram.tokens);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tokens);
        }

        @Override
        public String toString() {
            return Arrays.toString(tokens);
        }
    }

    /** Each n-gram of {@code tokens} with the number of times it occurs, n ≥ 1. */
    static Map<Gram, Integer> counts(int[] tokens, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n-gram order must be ≥ 1, got " + n);
        }
        Map<Gram, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.length; i++) {
            counts.merge(new Gram(Arrays.copyOfRange(tokens, i, i + n)), 1, Integer::sum);
        }
        return counts;
    }

    /** The number of n-grams of a sequence of {@code length} tokens: max(0, L − n + 1). */
    static int total(int length, int n) {
        return Math.max(0, length - n + 1);
    }

    /** Clipped matches Σ_g min(count_a(g), count_b(g)): the n-grams the two multisets share. */
    static long overlap(Map<Gram, Integer> a, Map<Gram, Integer> b) {
        long shared = 0;
        for (Map.Entry<Gram, Integer> entry : a.entrySet()) {
            shared += Math.min(entry.getValue(), b.getOrDefault(entry.getKey(), 0));
        }
        return shared;
    }
}
