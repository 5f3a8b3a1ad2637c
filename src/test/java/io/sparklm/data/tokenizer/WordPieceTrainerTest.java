package io.sparklm.data.tokenizer;

import io.sparklm.LocalSpark;
import io.sparklm.data.corpus.EmbeddedCorpus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordPieceTrainerTest {
    static List<String> lines;
    static WordPiece trained;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnEnglish() {
        lines = List.of(EmbeddedCorpus.englishText(100_000).split("\n"));
        trained = WordPieceTrainer.fit(lines, 1000, true);
    }

    /** The toy corpus of {@link WordPieceMergeLearnerTest} as lines, and "HUGZ" once: its "z" is seen once only. */
    static List<String> toyLines() {
        List<String> lines = new ArrayList<>();
        WordPieceMergeLearnerTest.toyCorpus().forEach((word, count) -> lines.addAll(Collections.nCopies(count.intValue(), word)));
        lines.add("HUGZ");
        return lines;
    }

    private static List<String> vocab(WordPiece tokenizer) {
        List<String> vocab = new ArrayList<>();
        tokenizer.toJson().get("vocab").forEach(token -> vocab.add(token.textValue()));
        return vocab;
    }

    @Test
    void countsWordsAsTheEncoderSplitsThem() {
        assertEquals(Map.of("it", 2L, "'", 1L, "s", 1L, ",", 1L, "un", 1L, "-", 1L, "able", 1L),
                WordPieceTrainer.countWords(List.of("It's, un-able", "  IT ").iterator(), true));
        assertEquals(Map.of("It", 1L, "IT", 1L), WordPieceTrainer.countWords(List.of("It", "IT").iterator(), false));
    }

    @Test
    void vocabularyIsSpecialTokensThenCharactersThenMergesInCreationOrder() {
        // hugz is left out for its z, seen once: the merges are the learner's on the toy corpus.
        WordPiece toy = WordPieceTrainer.fit(toyLines(), 5 + 7 + 6, true);
        assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
                "b", "h", "p", "##g", "##n", "##s", "##u",
                "##gs", "pu", "hu", "bu", "hugs", "hug"), vocab(toy));
        // hugs | pu ##n | bu ##g | [UNK]
        assertArrayEquals(new int[] {16, 13, 9, 15, 8, 1}, toy.encode("Hugs pun bug hugz"));
    }

    @Test
    void specialTokensHaveIdsZeroToFourAndSepEndsText() {
        assertEquals(WordPiece.SPECIAL_TOKENS, vocab(trained).subList(0, 5));
        assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"), WordPiece.SPECIAL_TOKENS);
        assertEquals(3, trained.endOfText().getAsInt());
        // "[SEP]" as text is three words, "[", "sep" and "]" (unknown here: the corpus has no brackets), never the separator.
        assertTrue(Arrays.stream(trained.encode("[SEP] [PAD]")).noneMatch(id -> id == 0 || id == 3));
    }

    @Test
    void everyTrainingWordOfSeenCharactersEncodesWithoutUnknown() {
        Set<String> vocab = Set.copyOf(vocab(trained));
        Map<String, Long> words = WordPieceTrainer.countWords(lines.iterator(), true);
        long occurrences = 0;
        long unknown = 0;
        for (Map.Entry<String, Long> entry : words.entrySet()) {
            String word = entry.getKey();
            int[] ids = trained.encode(word);
            occurrences += entry.getValue();
            if (spellable(word, vocab)) {
                assertTrue(Arrays.stream(ids).noneMatch(id -> id == 1), word + " encodes as " + Arrays.toString(ids));
                assertEquals(word, trained.decode(ids));
            } else {
                assertArrayEquals(new int[] {1}, ids, word);
                unknown += entry.getValue();
            }
        }
        assertEquals(1000, trained.vocabSize());
        assertTrue(unknown * 1000 < occurrences, unknown + " of " + occurrences + " words have a character seen once");
    }

    /** Whether each character of {@code word} is in {@code vocab} as the single-character token its position needs. */
    private static boolean spellable(String word, Set<String> vocab) {
        int[] characters = word.codePoints().toArray();
        return Arrays.stream(characters).skip(1).allMatch(c -> vocab.contains("##" + Character.toString(c)))
                && vocab.contains(Character.toString(characters[0]));
    }

    @Test
    void sparkFitOnOneOrFourPartitionsEqualsLocalFit() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        assertEquals(trained.toJson(), WordPieceTrainer.fit(sc.parallelize(lines, 1), 1000, true).toJson());
        assertEquals(trained.toJson(), WordPieceTrainer.fit(sc.parallelize(lines, 4), 1000, true).toJson());
    }

    @Test
    void savedAndLoadedGivesTheSameEncodingsAndHash() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        trained.save(file);
        Tokenizer loaded = Tokenizer.load(file);
        assertEquals(trained.hash(), loaded.hash());
        String text = EmbeddedCorpus.englishText(120_000).substring(100_000);
        assertArrayEquals(trained.encode(text), loaded.encode(text));
    }

    @Test
    void casedTrainingKeepsCapitals() {
        WordPiece cased = WordPieceTrainer.fit(List.of("Hug hug Hug hug"), 50, false);
        assertEquals(List.of("H", "h", "##g", "##u"), vocab(cased).subList(5, 9));
        assertEquals("Hug hug", cased.decode(cased.encode("Hug hug")));
    }

    @Test
    void stopsEarlyWhenNoPairOccursTwice() {
        WordPiece tiny = WordPieceTrainer.fit(List.of("abab xyz xyz q"), 1000, true);
        // Characters a, b, x, y, z twice or more, q once: a x ##a ##b ##y ##z after the specials. Then
        // (x,##y) and (##y,##z) both score 2/(2·2) and occur twice: "##y" < "x" puts ##yz first;
        // then (x,##yz) 2/(2·2). (a,##b), (##b,##a) and (##a,##b) occur once each.
        assertEquals(List.of("a", "x", "##a", "##b", "##y", "##z", "##yz", "xyz"), vocab(tiny).subList(5, tiny.vocabSize()));
        assertArrayEquals(new int[] {12, 1}, tiny.encode("xyz q"));
    }

    @Test
    void vocabSizeBelowSpecialsAndAlphabetIsAnError() {
        String message = assertThrows(IllegalArgumentException.class, () -> WordPieceTrainer.fit(toyLines(), 11, true)).getMessage();
        assertEquals("tokenizer.vocabSize is 11; this corpus needs at least 5 special tokens + 7 characters = 12; raise tokenizer.vocabSize", message);
    }
}
