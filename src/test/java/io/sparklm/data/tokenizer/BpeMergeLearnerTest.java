package io.sparklm.data.tokenizer;

import io.sparklm.data.corpus.EmbeddedCorpus;
import io.sparklm.data.tokenizer.BpeMergeLearner.Merge;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BpeMergeLearnerTest {
    /** Sennrich et al. 2016's example, each word's characters and an end-of-word marker. */
    static Map<List<String>, Long> toyCorpus() {
        Map<List<String>, Long> words = new LinkedHashMap<>();
        words.put(List.of("l", "o", "w", "</w>"), 5L);
        words.put(List.of("l", "o", "w", "e", "r", "</w>"), 2L);
        words.put(List.of("n", "e", "w", "e", "s", "t", "</w>"), 6L);
        words.put(List.of("w", "i", "d", "e", "s", "t", "</w>"), 3L);
        return words;
    }

    @Test
    void toyCorpusFirstMergesAreThoseOfTheSeeds() {
        // (e,s), (s,t), (t,</w>) all occur 9 times: the smallest left symbol, "e", goes first.
        assertEquals(List.of(
                new Merge("e", "s", 9), new Merge("es", "t", 9), new Merge("est", "</w>", 9),
                new Merge("l", "o", 7), new Merge("lo", "w", 7)),
                BpeMergeLearner.learn(toyCorpus(), 5));
    }

    @Test
    void mergesDoNotDependOnTheOrderOfWords() {
        List<Map.Entry<List<String>, Long>> entries = new ArrayList<>(toyCorpus().entrySet());
        Collections.reverse(entries);
        Map<List<String>, Long> reversed = new LinkedHashMap<>();
        entries.forEach(entry -> reversed.put(entry.getKey(), entry.getValue()));
        assertEquals(BpeMergeLearner.learn(toyCorpus(), 20), BpeMergeLearner.learn(reversed, 20));
    }

    @Test
    void stopsWhenNoPairOccursTwice() {
        Map<List<String>, Long> words = Map.of(List.of("a", "b"), 2L, List.of("c", "d"), 1L);
        assertEquals(List.of(new Merge("a", "b", 2)), BpeMergeLearner.learn(words, 10));
    }

    @Test
    void repeatedSymbolsMergeLeftToRight() {
        // "aaaaa" twice: (a,a) overlaps 4 times a word, 8 in all, and merges to aa aa a; then
        // (aa,a) and (aa,aa) both occur twice and "a" < "aa" puts (aa,a) first: aa aaa.
        List<Merge> merges = BpeMergeLearner.learn(Map.of(List.of("a", "a", "a", "a", "a"), 2L), 10);
        assertEquals(List.of(new Merge("a", "a", 8), new Merge("aa", "a", 2), new Merge("aa", "aaa", 2)), merges);
    }

    @Test
    void aMergeJoiningToAnExistingSymbolAddsNoSymbol() {
        Map<List<String>, Long> words = Map.of(List.of("a", "b"), 3L, List.of("ab", "c"), 2L);
        assertEquals(List.of(new Merge("a", "b", 3), new Merge("ab", "c", 2)), BpeMergeLearner.learn(words, 1));
    }

    @Test
    void countsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> BpeMergeLearner.learn(Map.of(List.of("a", "b"), 0L), 1));
    }

    @Test
    void incrementalCountsGiveTheMergesOfFullRecounting() {
        Map<List<String>, Long> words = new HashMap<>();
        BpeTrainer.countWords(List.of(EmbeddedCorpus.englishText(30_000).split("\n")).iterator(), List.of())
                .forEach((word, count) -> words.put(word.chars().mapToObj(Character::toString).toList(), count));
        assertEquals(recountingMerges(words, 150), BpeMergeLearner.learn(words, 150));
    }

    /** Sennrich et al.'s Algorithm 1 as written: recount all pairs before every merge. */
    private static List<Merge> recountingMerges(Map<List<String>, Long> wordCounts, int maxMerges) {
        Map<List<String>, Long> words = new HashMap<>(wordCounts);
        List<Merge> merges = new ArrayList<>();
        while (merges.size() < maxMerges) {
            TreeMap<List<String>, Long> pairs = new TreeMap<>((p, q) -> p.get(0).equals(q.get(0))
                    ? p.get(1).compareTo(q.get(1)) : p.get(0).compareTo(q.get(0)));
            words.forEach((word, count) -> {
                for (int i = 0; i + 1 < word.size(); i++) {
                    pairs.merge(word.subList(i, i + 2), count, Long::sum);
                }
            });
            Map.Entry<List<String>, Long> best = null;
            for (Map.Entry<List<String>, Long> entry : pairs.entrySet()) {
                if (best == null || entry.getValue() > best.getValue()) {
                    best = entry;
                }
            }
            if (best == null || best.getValue() < 2) {
                break;
            }
            String left = best.getKey().get(0);
            String right = best.getKey().get(1);
            merges.add(new Merge(left, right, best.getValue()));
            Map<List<String>, Long> merged = new HashMap<>();
            words.forEach((word, count) -> {
                List<String> out = new ArrayList<>();
                for (int i = 0; i < word.size(); i++) {
                    if (i + 1 < word.size() && word.get(i).equals(left) && word.get(i + 1).equals(right)) {
                        out.add(left + right);
                        i++;
                    } else {
                        out.add(word.get(i));
                    }
                }
                merged.merge(out, count, Long::sum);
            });
            words = merged;
        }
        return merges;
    }
}
