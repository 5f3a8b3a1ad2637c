package io.sparklm.data.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Learns byte-pair-encoding merges from counted words (Sennrich et al. 2016, "Neural Machine
 * Translation of Rare Words with Subword Units", Algorithm 1): each word is a sequence of
 * symbols; repeatedly count every adjacent pair of symbols, weighting a pair by the count of
 * the word it occurs in, and replace the most frequent pair everywhere by one new symbol, the
 * two symbols' strings joined.
 *
 * <p><b>Ties</b> are broken deterministically, so the merges depend only on the word counts,
 * never on the order words arrive in (and so not on how a corpus was partitioned): the pair with
 * the highest count wins, then the pair whose left symbol's string is smallest, then whose right
 * symbol's string is smallest ({@link String#compareTo}, UTF-16 order).
 *
 * <p><b>Stopping:</b> after {@code maxNewSymbols} distinct new symbols (two merges can join to the
 * same string, as {@code (a, bc)} and {@code (ab, c)}; the second adds a merge but no symbol), or
 * when the most frequent pair occurs fewer than {@value #MIN_PAIR_COUNT} times: a pair seen once
 * only memorises its word.
 *
 * <p><b>Cost:</b> pair counts are updated incrementally, not recounted per merge: an index from
 * each pair to the words containing it limits each merge to the words it changes, where only the
 * pairs touching a replaced occurrence change count; a priority queue with lazy deletion (an entry
 * is stale when its count differs from the pair's current count) finds the most frequent pair.
 */
public final class BpeMergeLearner {
    /** Pairs occurring fewer times are never merged. */
    public static final long MIN_PAIR_COUNT = 2;

    /** Symbols {@code left} and {@code right} joined, when their pair occurred {@code count} times. */
    public record Merge(String left, String right, long count) {
    }

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

    /** A pair and its count when queued. */
    private record Candidate(long count, int left, int right) {
    }

    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> idOf = new HashMap<>();
    private final int[][] words;
    private final int[] lengths;
    private final long[] counts;
    private final Map<Long, PairStats> pairs = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(
            Comparator.comparingLong(Candidate::count).reversed()
                    .thenComparing(candidate -> names.get(candidate.left()))
                    .thenComparing(candidate -> names.get(candidate.right())));

    private BpeMergeLearner(Map<List<String>, Long> wordCounts) {
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
            for (int i = 0; i + 1 < lengths[w]; i++) {
                addToPair(words[w][i], words[w][i + 1], counts[w], w, null);
            }
            w++;
        }
        pairs.forEach((key, stats) -> queue.add(new Candidate(stats.count, left(key), right(key))));
    }

    /**
     * The merges, in the order learned, from words given as symbol sequences with their counts.
     *
     * @param wordCounts each word's symbols (for byte-level BPE, one symbol per byte) and count
     * @param maxNewSymbols how many distinct new symbols to create at most
     */
    public static List<Merge> learn(Map<List<String>, Long> wordCounts, int maxNewSymbols) {
        return new BpeMergeLearner(wordCounts).learn(maxNewSymbols);
    }

    private List<Merge> learn(int maxNewSymbols) {
        List<Merge> merges = new ArrayList<>();
        int created = 0;
        while (created < maxNewSymbols) {
            Candidate best = pollCurrent();
            if (best == null || best.count() < MIN_PAIR_COUNT) {
                break;
            }
            int symbolsBefore = names.size();
            int joined = intern(names.get(best.left()) + names.get(best.right()));
            created += names.size() - symbolsBefore;
            merges.add(new Merge(names.get(best.left()), names.get(best.right()), best.count()));

            long key = pair(best.left(), best.right());
            PairStats stats = pairs.get(key);
            Set<Long> changed = new HashSet<>();
            for (int k = 0; k < stats.size; k++) {
                replaceInWord(stats.words[k], best.left(), best.right(), joined, changed);
            }
            pairs.remove(key);
            for (long changedKey : changed) {
                PairStats current = pairs.get(changedKey);
                if (current != null) {
                    queue.add(new Candidate(current.count, left(changedKey), right(changedKey)));
                }
            }
        }
        return merges;
    }

    /** The queued pair with the highest current count, skipping stale entries; null when none. */
    private Candidate pollCurrent() {
        for (Candidate candidate = queue.poll(); candidate != null; candidate = queue.poll()) {
            PairStats stats = pairs.get(pair(candidate.left(), candidate.right()));
            if (stats != null && stats.count == candidate.count()) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Replaces each occurrence of {@code (a, b)} in word {@code w}, left to right, by
     * {@code joined}, moving the word's count from the pairs around each occurrence,
     * {@code (prev, a)} and {@code (b, next)}, to {@code (prev, joined)} and {@code (joined, next)}.
     * The count of {@code (a, b)} itself goes wrong here and is dropped by the caller.
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

    private int intern(String symbol) {
        return idOf.computeIfAbsent(symbol, s -> {
            names.add(s);
            return names.size() - 1;
        });
    }

    private static long pair(int left, int right) {
        return (long) left << 32 | right;
    }

    private static int left(long pair) {
        return (int) (pair >>> 32);
    }

    private static int right(long pair) {
        return (int) pair;
    }
}
