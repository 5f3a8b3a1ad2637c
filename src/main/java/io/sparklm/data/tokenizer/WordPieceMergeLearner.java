package io.sparklm.data.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Learns WordPiece tokens from counted words by the likelihood score (Schuster and Nakajima 2012,
 * "Japanese and Korean Voice Search"; the score as the Hugging Face NLP course, chapter 6,
 * "WordPiece tokenization", gives it, Google's own trainer being unpublished).
 *
 * <p>Each word starts as its characters (code points), the first as it is and each later one
 * with the {@value WordPiece#CONTINUATION} prefix: "hug" is {@code [h, ##u, ##g]}. Repeatedly,
 * the adjacent pair {@code (x, y)} with the highest
 * <pre>score(x, y) = count(x y) / (count(x) · count(y))</pre>
 * is replaced everywhere, left to right within a word, by one symbol: x followed by y without its
 * prefix, so {@code (h, ##u)} gives {@code hu} and {@code (##u, ##g)} gives {@code ##ug}. Counts
 * are occurrences in the words as the merges so far have left them, each weighted by its word's
 * count. Up to a constant factor the score is p(x y) / (p(x) p(y)): unlike BPE's plain pair
 * count, it prefers pairs whose parts seldom occur apart, and so pairs of rare symbols. Learning
 * 8000 tokens from the embedded Europarl corpus (10,197 distinct words) makes rare names such as
 * "kyoto" whole tokens while "the" stays {@code [th, ##e]}: {@code ##e} is too frequent to score high.
 *
 * <p><b>Ties</b> are broken deterministically, so the tokens depend only on the word counts and
 * never on the order words arrive in (so not on how a corpus was partitioned): the highest score
 * wins (a {@code double}, computed from the counts alone), then the highest pair count, then the
 * pair whose left symbol is smallest, then whose right symbol is smallest ({@link String#compareTo}).
 *
 * <p><b>Stopping:</b> after {@code maxNewTokens} distinct new tokens ({@code (a, ##bc)} and
 * {@code (ab, ##c)} both give {@code abc}; the second adds a merge but no token), or when no pair
 * occurs {@value BpeMergeLearner#MIN_PAIR_COUNT} times: as in BPE, pairs seen once are never
 * merged, although their score, with rare parts, is often the highest; they only memorise words.
 *
 * <p><b>Cost:</b> pair counts are updated incrementally ({@link WordPairCounts}). A merge of
 * {@code (x, y)} into {@code z} also changes the score of every pair containing x, y or z, since
 * their counts change, so an index from each symbol to the pairs containing it finds those; a
 * sorted set of the pairs, each removed and re-inserted when its score changes, gives the best.
 */
public final class WordPieceMergeLearner {
    /** Symbols {@code left} and {@code right} merged, when their pair occurred {@code count} times with this {@code score}. */
    public record Merge(String left, String right, long count, double score) {
        /** The merged symbol: left followed by right without its {@value WordPiece#CONTINUATION} prefix. */
        public String token() {
            return left + right.substring(WordPiece.CONTINUATION.length());
        }
    }

    /** A pair with its score and count when ranked. */
    private record Candidate(double score, long count, int left, int right) {
    }

    private final WordPairCounts words;
    private final TreeSet<Candidate> ranking;
    /** Each ranked pair's entry in {@link #ranking}. */
    private final Map<Long, Candidate> rankOf = new HashMap<>();
    /** By symbol id, the pairs containing that symbol, and possibly pairs that no longer occur. */
    private final List<Set<Long>> pairsOf = new ArrayList<>();

    private WordPieceMergeLearner(Map<String, Long> wordCounts) {
        Map<List<String>, Long> symbols = new HashMap<>();
        wordCounts.forEach((word, count) -> symbols.merge(characters(word), count, Long::sum));
        words = new WordPairCounts(symbols);
        ranking = new TreeSet<>(Comparator.comparingDouble(Candidate::score).reversed()
                .thenComparing(Comparator.comparingLong(Candidate::count).reversed())
                .thenComparing(candidate -> words.name(candidate.left()))
                .thenComparing(candidate -> words.name(candidate.right())));
        for (long key : words.pairs()) {
            index(key);
            rank(key);
        }
    }

    /**
     * The merges, in the order learned.
     *
     * @param wordCounts each word, as {@link WordPiece} splits text, and its count
     * @param maxNewTokens how many distinct new tokens to create at most
     * @throws IllegalArgumentException for an empty word or a count below 1
     */
    public static List<Merge> learn(Map<String, Long> wordCounts, int maxNewTokens) {
        return new WordPieceMergeLearner(wordCounts).learn(maxNewTokens);
    }

    private List<Merge> learn(int maxNewTokens) {
        List<Merge> merges = new ArrayList<>();
        int created = 0;
        while (created < maxNewTokens && !ranking.isEmpty()) {
            Candidate best = ranking.pollFirst();
            rankOf.remove(WordPairCounts.pair(best.left(), best.right()));
            Merge merge = new Merge(words.name(best.left()), words.name(best.right()), best.count(), best.score());
            int symbolsBefore = words.symbols();
            int joined = words.intern(merge.token());
            created += words.symbols() - symbolsBefore;
            merges.add(merge);

            Set<Long> changed = words.merge(best.left(), best.right(), joined);
            Set<Long> rescore = new HashSet<>(changed);
            for (int symbol : new int[] {best.left(), best.right(), joined}) {
                Set<Long> containing = pairsOf(symbol);
                containing.removeIf(key -> words.pairCount(key) == 0);
                rescore.addAll(containing);
            }
            for (long key : changed) {
                if (words.pairCount(key) > 0) {
                    index(key);
                }
            }
            rescore.forEach(this::rank);
        }
        return merges;
    }

    /** A word's characters as WordPiece writes them: the first as it is, the others with the continuation prefix. */
    private static List<String> characters(String word) {
        if (word.isEmpty()) {
            throw new IllegalArgumentException("an empty word has no characters to learn from; words come from WordPiece.forEachWord");
        }
        List<String> symbols = new ArrayList<>();
        word.codePoints().forEach(c -> symbols.add(symbols.isEmpty() ? Character.toString(c) : WordPiece.CONTINUATION + Character.toString(c)));
        return symbols;
    }

    /** Re-ranks pair {@code key} by its current counts, leaving it out when it occurs too seldom to merge. */
    private void rank(long key) {
        Candidate old = rankOf.remove(key);
        if (old != null) {
            ranking.remove(old);
        }
        long count = words.pairCount(key);
        if (count >= BpeMergeLearner.MIN_PAIR_COUNT) {
            int left = WordPairCounts.left(key);
            int right = WordPairCounts.right(key);
            Candidate candidate = new Candidate(count / ((double) words.symbolCount(left) * words.symbolCount(right)), count, left, right);
            ranking.add(candidate);
            rankOf.put(key, candidate);
        }
    }

    private void index(long key) {
        pairsOf(WordPairCounts.left(key)).add(key);
        pairsOf(WordPairCounts.right(key)).add(key);
    }

    private Set<Long> pairsOf(int symbol) {
        while (pairsOf.size() <= symbol) {
            pairsOf.add(new HashSet<>());
        }
        return pairsOf.get(symbol);
    }
}
