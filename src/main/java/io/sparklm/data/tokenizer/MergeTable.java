package io.sparklm.data.tokenizer;

import java.util.Arrays;

/**
 * The merges of a BPE vocabulary, over token ids: merge r joins the pair {@code (left, right)}
 * into token {@code merged}; and GPT-2's {@code bpe()} (Radford et al. 2019), which applies them
 * to a word, the merge of lowest rank first.
 *
 * <p>Pairs are found in an open-addressing hash table (linear probing, keys {@code left << 32 |
 * right}, at most half full), with no boxing: encoding looks a pair up for every adjacent pair of
 * every merge step of every word not yet cached.
 */
final class MergeTable {
    private static final long EMPTY = -1L;

    private long[] keys;
    private int[] ranks;
    private int[] mergedIds;
    private int size;

    MergeTable(int expectedMerges) {
        int capacity = Integer.highestOneBit(Math.max(4, 2 * expectedMerges) - 1) << 1;
        keys = new long[capacity];
        ranks = new int[capacity];
        Arrays.fill(keys, EMPTY);
        mergedIds = new int[Math.max(1, expectedMerges)];
    }

    /** How many merges there are; the next one added has this rank. */
    int size() {
        return size;
    }

    /**
     * Adds the merge of rank {@link #size()}, unless the pair already has one.
     *
     * @return -1 when added, else the rank of the earlier merge of the same pair
     */
    int add(int left, int right, int merged) {
        int earlier = rank(left, right);
        if (earlier >= 0) {
            return earlier;
        }
        if (2 * (size + 1) > keys.length) {
            rehash(2 * keys.length);
        }
        insert(pair(left, right), size);
        if (size == mergedIds.length) {
            mergedIds = Arrays.copyOf(mergedIds, 2 * size);
        }
        mergedIds[size++] = merged;
        return -1;
    }

    /** The rank of the merge of {@code (left, right)}, or -1 when there is none. */
    int rank(int left, int right) {
        long key = pair(left, right);
        for (int slot = slot(key); keys[slot] != EMPTY; slot = (slot + 1) & (keys.length - 1)) {
            if (keys[slot] == key) {
                return ranks[slot];
            }
        }
        return -1;
    }

    /**
     * GPT-2's {@code bpe()} on one word's token ids, which it overwrites: while some adjacent pair
     * has a merge, take the pair of lowest rank and replace each of its occurrences, left to
     * right, by the merged token.
     */
    int[] apply(int[] symbols) {
        int n = symbols.length;
        while (n > 1) {
            int best = Integer.MAX_VALUE;
            int left = -1;
            int right = -1;
            for (int i = 0; i + 1 < n; i++) {
                int rank = rank(symbols[i], symbols[i + 1]);
                if (rank >= 0 && rank < best) {
                    best = rank;
                    left = symbols[i];
                    right = symbols[i + 1];
                }
            }
            if (left < 0) {
                break;
            }
            int out = 0;
            for (int i = 0; i < n; out++) {
                if (i + 1 < n && symbols[i] == left && symbols[i + 1] == right) {
                    symbols[out] = mergedIds[best];
                    i += 2;
                } else {
                    symbols[out] = symbols[i++];
                }
            }
            n = out;
        }
        return n == symbols.length ? symbols : Arrays.copyOf(symbols, n);
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldRanks = ranks;
        keys = new long[capacity];
        ranks = new int[capacity];
        Arrays.fill(keys, EMPTY);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                insert(oldKeys[i], oldRanks[i]);
            }
        }
    }

    private void insert(long key, int rank) {
        int slot = slot(key);
        while (keys[slot] != EMPTY) {
            slot = (slot + 1) & (keys.length - 1);
        }
        keys[slot] = key;
        ranks[slot] = rank;
    }

    /** Fibonacci hashing of the key to a slot. */
    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(keys.length)));
    }

    private static long pair(int left, int right) {
        return (long) left << 32 | right;
    }
}
