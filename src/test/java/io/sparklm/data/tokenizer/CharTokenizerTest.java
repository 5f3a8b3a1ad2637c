package io.sparklm.data.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharTokenizerTest {
    @TempDir
    Path dir;

    @Test
    void vocabularyIsTheSortedDistinctCharactersOfTheText() {
        CharTokenizer tokenizer = CharTokenizer.fit("hello world");
        // sorted(set("hello world")) = [' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w'], then <|endoftext|>
        assertEquals(9, tokenizer.vocabSize());
        assertArrayEquals(new int[] {3, 2, 4, 4, 5, 0, 7, 5, 6, 4, 1}, tokenizer.encode("hello world"));
        assertEquals("world hello", tokenizer.decode(tokenizer.encode("world hello")));
    }

    @Test
    void supplementaryCharactersAreOneTokenSortedByCodePoint() {
        // U+FF21 sorts before U+1F600 by code point, after it by UTF-16 unit (0xD83D < 0xFF21).
        CharTokenizer tokenizer = CharTokenizer.fit("\uFF21\uD83D\uDE00a");
        assertEquals(3 + 1, tokenizer.vocabSize(), "three characters and <|endoftext|>");
        assertArrayEquals(new int[] {2, 1, 0}, tokenizer.encode("\uD83D\uDE00\uFF21a"));
        assertEquals("a\uD83D\uDE00", tokenizer.decode(new int[] {0, 2}));
    }

    @Test
    void unknownCharacterIsNamedWithItsPosition() {
        CharTokenizer tokenizer = CharTokenizer.fit("abc");
        String message = assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("\uD83D\uDE00bz")).getMessage();
        assertTrue(message.startsWith("'\uD83D\uDE00' (U+1F600) at position 0 is not in the vocabulary of 3 characters"), message);
        message = assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("abz")).getMessage();
        assertTrue(message.startsWith("'z' (U+007A) at position 2"), message);
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        CharTokenizer tokenizer = CharTokenizer.fit("abc");
        String message = assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {0, 4})).getMessage();
        assertEquals("token id 4 at position 1 is outside the vocabulary [0, 4)", message);
    }

    @Test
    void endOfTextIsTheIdAfterTheCharactersAndNoTextEncodesToIt() {
        CharTokenizer tokenizer = CharTokenizer.fit("<|endoftext|> abc");
        // sorted(set(...)) = [' ', '<', '>', 'a', 'b', 'c', 'd', 'e', 'f', 'n', 'o', 't', 'x', '|']: 14 characters
        assertEquals(OptionalInt.of(14), tokenizer.endOfText());
        assertEquals(15, tokenizer.vocabSize());
        assertArrayEquals(new int[] {1, 13, 7, 9, 6, 10, 8, 11, 7, 12, 11, 13, 2}, tokenizer.encode("<|endoftext|>"));
        assertEquals("ab<|endoftext|>c", tokenizer.decode(new int[] {3, 4, 14, 5}));
    }

    @Test
    void emptyTextHasNoVocabulary() {
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.fit(""));
    }

    @Test
    void hashIsSha256OfTheCanonicalJson() {
        // printf '%s' '{"special":{"<|endoftext|>":4},"type":"char","vocab":["e","h","l","o"]}' | sha256sum
        assertEquals("d60a483c7c51e997de398242a95446542f7989b00558dff4c02176b9bcf47bb9", CharTokenizer.fit("hello").hash());
        assertEquals(CharTokenizer.fit("hello").hash(), CharTokenizer.fit("lolhe").hash());
        assertNotEquals(CharTokenizer.fit("hello").hash(), CharTokenizer.fit("help").hash());
    }

    @Test
    void aTokenizerJsonWithoutSpecialReadsAsBeforeWithNoEndOfText() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"type\": \"char\", \"vocab\": [\"e\", \"h\", \"l\", \"o\"]}");
        Tokenizer older = Tokenizer.load(file);
        // printf '%s' '{"type":"char","vocab":["e","h","l","o"]}' | sha256sum: the hash shards made with it recorded
        assertEquals("6974d0540597c6fddecc8254c24e4f16921f2e2c97da5504256e1bbbcf70b885", older.hash());
        assertEquals(4, older.vocabSize());
        assertEquals(OptionalInt.empty(), older.endOfText());
        assertEquals("token id 4 at position 0 is outside the vocabulary [0, 4)",
                assertThrows(IllegalArgumentException.class, () -> older.decode(new int[] {4})).getMessage());
    }

    @Test
    void aSpecialOtherThanEndOfTextAfterTheCharactersIsAnError() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"type\": \"char\", \"vocab\": [\"a\", \"b\"], \"special\": {\"<|endoftext|>\": 0}}");
        assertEquals(file + ": a \"char\" tokenizer's \"special\" is {\"<|endoftext|>\":0}, not {\"<|endoftext|>\": 2} (the id after "
                + "its 2 characters); fix it, or remove it to have no end-of-text id",
                assertThrows(IOException.class, () -> Tokenizer.load(file)).getMessage());
    }

    @Test
    void saveAndLoadGiveTheSameTokenizer() throws IOException {
        CharTokenizer original = CharTokenizer.fit("To be, or not to be\n\u00e9\uD83D\uDE00");
        Path file = dir.resolve("tokenizer.json");
        original.save(file);

        Tokenizer loaded = Tokenizer.load(file);

        assertInstanceOf(CharTokenizer.class, loaded);
        assertEquals(original.hash(), loaded.hash());
        assertEquals(original.vocabSize(), loaded.vocabSize());
        assertArrayEquals(original.encode("not \uD83D\uDE00"), loaded.encode("not \uD83D\uDE00"));
        assertEquals(original.endOfText(), loaded.endOfText());
        String json = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"type\" : \"char\""), json);
        assertTrue(json.contains("\"vocab\" : [ \"\\n\", \" \", \",\", \"T\", \"b\""), json);
        assertTrue(json.contains("\"special\" : {\n    \"<|endoftext|>\" : 12\n  }"), json);
    }

    @Test
    void unknownTypeIsAClearError() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"type\": \"sentencepiece\", \"vocab\": []}");
        String message = assertThrows(IOException.class, () -> Tokenizer.load(file)).getMessage();
        assertEquals(file + " has tokenizer type \"sentencepiece\"; known types: \"char\", \"bpe\", \"wordpiece\"", message);

        Files.writeString(file, "{\"vocab\": [\"a\"]}");
        message = assertThrows(IOException.class, () -> Tokenizer.load(file)).getMessage();
        assertEquals(file + " has no \"type\" string; is it a tokenizer.json?", message);
    }

    @Test
    void vocabEntriesMustBeSingleDistinctCharacters() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"type\": \"char\", \"vocab\": [\"a\", \"bc\"]}");
        String message = assertThrows(IOException.class, () -> Tokenizer.load(file)).getMessage();
        assertEquals(file + ": vocab entry 1 is \"bc\", not a single character", message);

        Files.writeString(file, "{\"type\": \"char\", \"vocab\": [\"a\", \"b\", \"a\"]}");
        message = assertThrows(IOException.class, () -> Tokenizer.load(file)).getMessage();
        assertEquals(file + ": vocab lists 'a' (U+0061) twice (ids 0 and 2)", message);
    }
}
