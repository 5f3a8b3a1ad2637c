package io.sparklm.data.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

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
 * <p><b>Cost:</b> pair counts are updated incrementally, not recounted per merge
 * ({@link WordPairCounts}); a priority queue with lazy deletion (an entry is stale when its count
 * differs from the pair's current count) finds the most frequent pair.
 */
public final class BpeMergeLearner {
    /** Pairs occurring fewer times are never merged. */
    public static final long MIN_PAIR_COUNT = 2;

    /** Symbols {@code left} and {@code right} joined, when their pair occurred {@code count} times. */
    public record Merge(String left, String right, long count) {
    }

    /** A pair and its count when queued. */
    private record Candidate(long count, int left, int right) {
    }

    private final WordPairCounts words;
    private final PriorityQueue<Candidate> queue;

    private BpeMergeLearner(Map<List<String>, Long> wordCounts) {
        words = new WordPairCounts(wordCounts);
        queue = new PriorityQueue<>(Comparator.comparingLong(Candidate::count).reversed()
                .thenComparing(candidate -> words.name(candidate.left()))
                .thenComparing(candidate -> words.name(candidate.right())));
        for (long key : words.pairs()) {
            queue.add(new Candidate(words.pairCount(key), WordPairCounts.left(key), WordPairCounts.right(key)));
        }
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
            String left = words.name(best.left());
            String right = words.name(best.right());
            int symbolsBefore = words.symbols();
            int joined = words.intern(left + right);
            created += words.symbols() - symbolsBefore;
            merges.add(new Merge(left, right, best.count()));
            for (long changed : words.merge(best.left(), best.right(), joined)) {
                long count = words.pairCount(changed);
                if (count > 0) {
                    queue.add(new Candidate(count, WordPairCounts.left(changed), WordPairCounts.right(changed)));
                }
            }
        }
        return merges;
    }

    /** The queued pair with the highest current count, skipping stale entries; null when none. */
    private Candidate pollCurrent() {
        for (Candidate candidate = queue.poll(); candidate != null; candidate = queue.poll()) {
            if (words.pairCount(WordPairCounts.pair(candidate.left(), candidate.right())) == candidate.count()) {
                return candidate;
            }
        }
        return null;
    }
}
