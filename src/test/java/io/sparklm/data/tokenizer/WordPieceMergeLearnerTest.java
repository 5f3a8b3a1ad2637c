package io.sparklm.data.tokenizer;

import io.sparklm.data.corpus.EmbeddedCorpus;
import io.sparklm.data.tokenizer.WordPieceMergeLearner.Merge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WordPieceMergeLearnerTest {
    /** The Hugging Face course's example: hug 10, pug 5, pun 12, bun 4, hugs 5. */
    static Map<String, Long> toyCorpus() {
        return Map.of("hug", 10L, "pug", 5L, "pun", 12L, "bun", 4L, "hugs", 5L);
    }

    @Test
    void toyCorpusMergesAreThoseComputedByHand() {
        // Start: h 15, p 17, b 4, ##u 36, ##g 20, ##n 16, ##s 5.
        //   (##g,##s) 5/(20·5) = 1/20 beats the other five pairs, all 1/36.
        // Then all six pairs score 1/36; the highest count, (p,##u) 17, wins.
        // Then ##u 19: (h,##u) 15/(15·19), (b,##u) 4/(4·19), (##u,##gs) 5/(19·5) tie at 1/19; count 15 wins.
        // Then ##u 4: (b,##u) 4/(4·4) = 1/4.
        // Then (hu,##gs) 5/(15·5) = 1/15 beats (bu,##n) 4/(4·16) = 1/16.
        // Then hu 10: (hu,##g) 10/(10·15) = 1/15.
        assertEquals(List.of(
                new Merge("##g", "##s", 5, 5 / (20.0 * 5)),
                new Merge("p", "##u", 17, 17 / (17.0 * 36)),
                new Merge("h", "##u", 15, 15 / (15.0 * 19)),
                new Merge("b", "##u", 4, 4 / (4.0 * 4)),
                new Merge("hu", "##gs", 5, 5 / (15.0 * 5)),
                new Merge("hu", "##g", 10, 10 / (10.0 * 15))),
                WordPieceMergeLearner.learn(toyCorpus(), 6));
    }

    @Test
    void mergedTokensDropTheContinuationPrefixOfTheRightSymbol() {
        assertEquals(List.of("##gs", "pu", "hu", "bu", "hugs", "hug"),
                WordPieceMergeLearner.learn(toyCorpus(), 6).stream().map(Merge::token).toList());
    }

    @Test
    void pairsSeenOnceAreNeverMergedHoweverHighTheirScore() {
        // (x,##y) once scores 1/(1·1) = 1, the highest possible; (a,##b) twice scores 2/(2·2).
        assertEquals(List.of(new Merge("a", "##b", 2, 0.5)), WordPieceMergeLearner.learn(Map.of("xy", 1L, "ab", 2L), 10));
    }

    @Test
    void repeatedContinuationsMergeLeftToRight() {
        // "aaaa" twice: a ##a ##a ##a. (a,##a) 2/(2·6), (##a,##a) 4/(6·6): (a,##a) first, giving aa ##a ##a;
        // then (aa,##a) 2/(2·4) beats (##a,##a) 2/(4·4); then aaa ##a, and (aaa,##a) 2/(2·2).
        assertEquals(List.of(new Merge("a", "##a", 2, 2 / (2.0 * 6)), new Merge("aa", "##a", 2, 2 / (2.0 * 4)),
                new Merge("aaa", "##a", 2, 2 / (2.0 * 2))), WordPieceMergeLearner.learn(Map.of("aaaa", 2L), 10));
    }

    @Test
    void emptyWordsAndCountsBelowOneAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> WordPieceMergeLearner.learn(Map.of("", 3L), 1));
        assertThrows(IllegalArgumentException.class, () -> WordPieceMergeLearner.learn(Map.of("ab", 0L), 1));
    }

    @Test
    void incrementalScoresGiveTheMergesOfFullRescoring() {
        Map<String, Long> words = WordPieceTrainer.countWords(List.of(EmbeddedCorpus.englishText(30_000).split("\n")).iterator(), true);
        assertEquals(rescoringMerges(words, 200), WordPieceMergeLearner.learn(words, 200));
    }

    /** The algorithm as written: recount every symbol and pair, and rescore every pair, before each merge. */
    private static List<Merge> rescoringMerges(Map<String, Long> wordCounts, int maxMerges) {
        Map<List<String>, Long> words = new HashMap<>();
        wordCounts.forEach((word, count) -> {
            List<String> symbols = new ArrayList<>();
            word.codePoints().forEach(c -> symbols.add((symbols.isEmpty() ? "" : "##") + Character.toString(c)));
            words.put(symbols, count);
        });
        List<Merge> merges = new ArrayList<>();
        while (merges.size() < maxMerges) {
            Map<String, Long> symbolCounts = new HashMap<>();
            Map<List<String>, Long> pairCounts = new HashMap<>();
            words.forEach((word, count) -> {
                for (int i = 0; i < word.size(); i++) {
                    symbolCounts.merge(word.get(i), count, Long::sum);
                    if (i + 1 < word.size()) {
                        pairCounts.merge(word.subList(i, i + 2), count, Long::sum);
                    }
                }
            });
            Merge best = null;
            for (Map.Entry<List<String>, Long> entry : pairCounts.entrySet()) {
                String left = entry.getKey().get(0);
                String right = entry.getKey().get(1);
                long count = entry.getValue();
                if (count < 2) {
                    continue;
                }
                Merge candidate = new Merge(left, right, count, count / ((double) symbolCounts.get(left) * symbolCounts.get(right)));
                if (best == null || candidate.score() > best.score()
                        || candidate.score() == best.score() && (candidate.count() > best.count()
                        || candidate.count() == best.count() && (left.compareTo(best.left()) < 0
                        || left.equals(best.left()) && right.compareTo(best.right()) < 0))) {
                    best = candidate;
                }
            }
            if (best == null) {
                break;
            }
            merges.add(best);
            Map<List<String>, Long> merged = new HashMap<>();
            for (Map.Entry<List<String>, Long> entry : words.entrySet()) {
                List<String> word = entry.getKey();
                List<String> out = new ArrayList<>();
                for (int i = 0; i < word.size(); i++) {
                    if (i + 1 < word.size() && word.get(i).equals(best.left()) && word.get(i + 1).equals(best.right())) {
                        out.add(best.token());
                        i++;
                    } else {
                        out.add(word.get(i));
                    }
                }
                merged.merge(out, entry.getValue(), Long::sum);
            }
            words.clear();
            words.putAll(merged);
        }
        return merges;
    }
}
