package io.sparklm.data.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counted words written as symbol sequences, with how often each symbol and each adjacent pair of
 * symbols occurs, every occurrence weighted by the count of its word: the state that merge
 * learning works on, for BPE ({@link BpeMergeLearner}) and WordPiece ({@link WordPieceMergeLearner}).
 *
 * <p>Symbols are interned strings, ids in order of first appearance. A pair is a {@code long}
 * key, {@link #pair(int, int)}.
 *
 * <p>{@link #merge} replaces one pair everywhere by a symbol and updates the counts
 * incrementally rather than recounting: an index from each pair to the words it has occurred in
 * limits a merge to the words it changes, and within them only the pairs touching a replaced
 * occurrence change count.
 */
final class WordPairCounts {
    /** How often one pair occurs, and the words (indices) it has occurred in, possibly no longer. */
    private static final class PairStats {
        long count;
        int[] words = new int[2];
        int size;

        void addWord(int word) {
            if (size > 0 && words[size - 1] == word) {
                return;
            }
            if (size == words.length) {
                words = Arrays.copyOf(words, 2 * size);
            }
            words[size++] = word;
        }
    }

    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> idOf = new HashMap<>();
    private long[] symbolCounts = new long[64];
    private final int[][] words;
    private final int[] lengths;
    private final long[] counts;
    private final Map<Long, PairStats> pairs = new HashMap<>();

    /**
     * @param wordCounts each word's symbols and its count
     * @throws IllegalArgumentException for a count below 1
     */
    WordPairCounts(Map<List<String>, Long> wordCounts) {
        words = new int[wordCounts.size()][];
        lengths = new int[wordCounts.size()];
        counts = new long[wordCounts.size()];
        int w = 0;
        for (Map.Entry<List<String>, Long> entry : wordCounts.entrySet()) {
            if (entry.getValue() < 1) {
                throw new IllegalArgumentException("word " + entry.getKey() + " has count " + entry.getValue() + "; counts must be positive");
            }
            words[w] = entry.getKey().stream().mapToInt(this::intern).toArray();
            lengths[w] = words[w].length;
            counts[w] = entry.getValue();
            for (int i = 0; i < lengths[w]; i++) {
                symbolCounts[words[w][i]] += counts[w];
                if (i + 1 < lengths[w]) {
                    addToPair(words[w][i], words[w][i + 1], counts[w], w, null);
                }
            }
            w++;
        }
    }

    /** The id of {@code symbol}, a new one if it has none yet. */
    int intern(String symbol) {
        return idOf.computeIfAbsent(symbol, s -> {
            names.add(s);
            if (names.size() > symbolCounts.length) {
                symbolCounts = Arrays.copyOf(symbolCounts, 2 * symbolCounts.length);
            }
            return names.size() - 1;
        });
    }

    String name(int symbol) {
        return names.get(symbol);
    }

    /** How many symbols have been interned. */
    int symbols() {
        return names.size();
    }

    /** How often {@code symbol} occurs in the words as they now stand. */
    long symbolCount(int symbol) {
        return symbolCounts[symbol];
    }

    /** The pairs that occur now, as {@link #pair} keys. */
    Set<Long> pairs() {
        return Collections.unmodifiableSet(pairs.keySet());
    }

    /** How often the pair {@code key} occurs now; 0 when it does not. */
    long pairCount(long key) {
        PairStats stats = pairs.get(key);
        return stats == null ? 0 : stats.count;
    }

    /**
     * Replaces each occurrence of the pair {@code (a, b)}, left to right within each word, by
     * {@code joined}, and updates the counts: afterwards {@code (a, b)} no longer occurs.
     *
     * @return the pairs whose counts changed, including those that no longer occur
     */
    Set<Long> merge(int a, int b, int joined) {
        long key = pair(a, b);
        PairStats stats = pairs.get(key);
        Set<Long> changed = new HashSet<>();
        if (stats == null) {
            return changed;
        }
        int[] containing = Arrays.copyOf(stats.words, stats.size);
        for (int w : containing) {
            replaceInWord(w, a, b, joined, changed);
        }
        pairs.remove(key);
        changed.add(key);
        return changed;
    }

    /**
     * Replaces each occurrence of {@code (a, b)} in word {@code w} by {@code joined}, moving the
     * word's count from the pairs around each occurrence, {@code (prev, a)} and {@code (b, next)},
     * to {@code (prev, joined)} and {@code (joined, next)}, and from symbols {@code a} and
     * {@code b} to {@code joined}. The count of {@code (a, b)} itself goes wrong here and is
     * dropped by {@link #merge}.
     */
    private void replaceInWord(int w, int a, int b, int joined, Set<Long> changed) {
        int[] symbols = words[w];
        int n = lengths[w];
        long count = counts[w];
        int out = 0;
        for (int i = 0; i < n; ) {
            if (i + 1 < n && symbols[i] == a && symbols[i + 1] == b) {
                if (out > 0) {
                    addToPair(symbols[out - 1], a, -count, w, changed);
                    addToPair(symbols[out - 1], joined, count, w, changed);
                }
                if (i + 2 < n) {
                    addToPair(b, symbols[i + 2], -count, w, changed);
                    addToPair(joined, symbols[i + 2], count, w, changed);
                }
                symbolCounts[a] -= count;
                symbolCounts[b] -= count;
                symbolCounts[joined] += count;
                symbols[out++] = joined;
                i += 2;
            } else {
                symbols[out++] = symbols[i++];
            }
        }
        lengths[w] = out;
    }

    private void addToPair(int left, int right, long delta, int w, Set<Long> changed) {
        long key = pair(left, right);
        PairStats stats = pairs.computeIfAbsent(key, k -> new PairStats());
        stats.count += delta;
        if (delta > 0) {
            stats.addWord(w);
        } else if (stats.count == 0) {
            pairs.remove(key);
        }
        if (changed != null) {
            changed.add(key);
        }
    }

    /** The key of the pair {@code (left, right)}. */
    static long pair(int left, int right) {
        return (long) left << 32 | right;
    }

    static int left(long pair) {
        return (int) (pair >>> 32);
    }

    static int right(long pair) {
        return (int) pair;
    }
}
