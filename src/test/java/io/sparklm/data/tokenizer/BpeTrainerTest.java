package io.sparklm.data.tokenizer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sparklm.LocalSpark;
import io.sparklm.data.corpus.EmbeddedCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BpeTrainerTest {
    static List<String> lines;
    static ByteBpe trained;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnEnglishAndTheSamples() {
        lines = new ArrayList<>(List.of(EmbeddedCorpus.englishText(100_000).split("\n")));
        for (String sample : ByteBpeTest.SAMPLES) {
            lines.addAll(List.of(sample.split("\n")));
        }
        trained = BpeTrainer.fit(lines, 600, List.of(ByteBpe.END_OF_TEXT));
    }

    @Test
    void countsPreTokenisedWordsLeavingSpecialTokensOut() {
        Map<String, Long> counts = BpeTrainer.countWords(
                List.of("the cat<|endoftext|>the  cat's", "the").iterator(), List.of(ByteBpe.END_OF_TEXT));
        // "the cat" | "the", " ", " cat", "'s": a run of spaces leaves its last one to the next word.
        assertEquals(Map.of("the", 3L, " cat", 2L, " ", 1L, "'s", 1L), counts);
    }

    @Test
    void vocabularyIsBytesThenMergesThenSpecialTokens() {
        assertEquals(600, trained.vocabSize());
        assertEquals(599, trained.specialId(ByteBpe.END_OF_TEXT));
        Map<String, Integer> vocab = new JsonMapper()
                .convertValue(trained.toJson().get("vocab"), new TypeReference<>() { });
        assertEquals(0, vocab.get("!"));
        assertEquals(188 + ' ', vocab.get("Ġ"));
        assertEquals(343, trained.toJson().get("merges").size());
        assertEquals("Ġ t", trained.toJson().get("merges").get(0).textValue());
        assertEquals(256, vocab.get("Ġt"));
    }

    @Test
    void roundTripsEveryLanguageAndCompressesEnglish() {
        for (String text : ByteBpeTest.SAMPLES) {
            assertEquals(text, trained.decode(trained.encode(text)), text);
        }
        String english = EmbeddedCorpus.englishText(200_000).substring(100_000);
        int bytes = english.getBytes(StandardCharsets.UTF_8).length;
        int tokens = trained.encode(english).length;
        assertTrue(tokens < 0.5 * bytes, tokens + " tokens for " + bytes + " bytes");
        assertArrayEquals(new int[] {trained.specialId(ByteBpe.END_OF_TEXT)}, trained.encode(ByteBpe.END_OF_TEXT));
    }

    @Test
    void sparkFitOnOneOrFourPartitionsEqualsLocalFit() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        ByteBpe onOne = BpeTrainer.fit(sc.parallelize(lines, 1), 600, List.of(ByteBpe.END_OF_TEXT));
        ByteBpe onFour = BpeTrainer.fit(sc.parallelize(lines, 4), 600, List.of(ByteBpe.END_OF_TEXT));
        assertEquals(trained.toJson(), onOne.toJson());
        assertEquals(trained.toJson(), onFour.toJson());
    }

    @Test
    void savedAndLoadedGivesTheSameEncodingsAndHash() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        trained.save(file);
        Tokenizer loaded = Tokenizer.load(file);
        assertEquals(trained.hash(), loaded.hash());
        for (String text : ByteBpeTest.SAMPLES) {
            assertArrayEquals(trained.encode(text), loaded.encode(text));
        }
    }

    @Test
    void stopsEarlyWhenNoPairOccursTwice() {
        ByteBpe tiny = BpeTrainer.fit(List.of("abab", "xyz"), 1000, List.of());
        // "abab": (a,b) twice, then (ab,ab) once: one merge.
        assertEquals(257, tiny.vocabSize());
        assertEquals(2, tiny.encode("abab").length);
    }

    @Test
    void vocabSizeBelowBytesAndSpecialsIsAnError() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> BpeTrainer.fit(List.of("a"), 256, List.of(ByteBpe.END_OF_TEXT))).getMessage();
        assertEquals("tokenizer.vocabSize is 256; it must be at least 256 byte tokens + 1 special tokens = 257", message);
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.fit(List.of("a"), 300, List.of("<s>", "<s>")));
    }
}
