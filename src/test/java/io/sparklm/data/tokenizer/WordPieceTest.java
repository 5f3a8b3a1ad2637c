package io.sparklm.data.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordPieceTest {
    static final WordPiece SEEDS = new WordPiece(List.of("[UNK]", "un", "##aff", "##able"), true);

    @TempDir
    Path dir;

    @Test
    void greedyLongestMatchFirstOnTheSeedsVectors() {
        assertArrayEquals(new int[] {1, 2, 3}, SEEDS.encode("unaffable"));
        assertArrayEquals(new int[] {1, 3}, SEEDS.encode("unable"));
        assertArrayEquals(new int[] {0}, SEEDS.encode("xyz"));
        // One unmatched position makes the whole word unknown, not only its tail.
        assertArrayEquals(new int[] {0, 1, 3}, SEEDS.encode("unablex unable"));
    }

    @Test
    void longestMatchWinsOverShorterPrefixes() {
        WordPiece tokenizer = new WordPiece(List.of("[UNK]", "a", "ab", "abc", "##c", "##d", "##cd"), false);
        assertArrayEquals(new int[] {3, 5}, tokenizer.encode("abcd"));
        assertArrayEquals(new int[] {2, 5}, tokenizer.encode("abd"));
    }

    @Test
    void splitsOnWhitespaceAndPunctuationAndLowerCases() {
        WordPiece tokenizer = new WordPiece(List.of("[UNK]", "un", "##able", ",", "!", "-", "it", "'", "s"), true);
        // UN-able, it's unable!  ->  un - [UNK] , it ' s un ##able !
        assertArrayEquals(new int[] {1, 5, 0, 3, 6, 7, 8, 1, 2, 4}, tokenizer.encode("UN-able,\tit's  unable!\n"));
        WordPiece cased = new WordPiece(List.of("[UNK]", "un", "##able"), false);
        assertArrayEquals(new int[] {0, 1, 2}, cased.encode("Unable unable"));
    }

    @Test
    void keepsCyrillicPersianAndCjk() {
        WordPiece tokenizer = new WordPiece(List.of("[UNK]", "привет", "мир", "سلام", "دنیا", "你", "好", "!", "，", "##ы"), true);
        assertArrayEquals(new int[] {1, 8, 2, 7}, tokenizer.encode("Привет，мир!"));
        assertArrayEquals(new int[] {3, 4, 5, 6}, tokenizer.encode("سلام دنیا 你好"));
        assertArrayEquals(new int[] {2, 9}, tokenizer.encode("МИРЫ"));
    }

    @Test
    void tooLongWordIsUnknown() {
        WordPiece tokenizer = new WordPiece(List.of("[UNK]", "a", "##a"), false);
        assertEquals(WordPiece.MAX_WORD_CHARS, tokenizer.encode("a".repeat(WordPiece.MAX_WORD_CHARS)).length);
        assertArrayEquals(new int[] {0}, tokenizer.encode("a".repeat(WordPiece.MAX_WORD_CHARS + 1)));
    }

    @Test
    void decodeJoinsContinuationsAndSpacesWords() {
        assertEquals("unaffable unable [UNK]", SEEDS.decode(new int[] {1, 2, 3, 1, 3, 0}));
        String message = assertThrows(IllegalArgumentException.class, () -> SEEDS.decode(new int[] {4})).getMessage();
        assertEquals("token id 4 at position 0 is outside the vocabulary [0, 4)", message);
    }

    @Test
    void savedAndLoadedGivesTheSameEncodingsAndHash() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        SEEDS.save(file);
        Tokenizer loaded = Tokenizer.load(file);
        assertInstanceOf(WordPiece.class, loaded);
        assertEquals(SEEDS.hash(), loaded.hash());
        assertArrayEquals(SEEDS.encode("Unaffable, unable xyz"), loaded.encode("Unaffable, unable xyz"));
    }

    @Test
    void invalidVocabulariesAreErrors() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> new WordPiece(List.of("un", "##able"), true));
        assertThrows(IllegalArgumentException.class, () -> new WordPiece(List.of("[UNK]", "un", "un"), true));
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"type\": \"wordpiece\", \"lowercase\": true, \"vocab\": [\"un\"]}");
        String message = assertThrows(IOException.class, () -> Tokenizer.load(file)).getMessage();
        assertEquals(file + ": vocab has no [UNK] token for words it cannot spell", message);
        Files.writeString(file, "{\"type\": \"wordpiece\", \"vocab\": [\"[UNK]\"]}");
        message = assertThrows(IOException.class, () -> Tokenizer.load(file)).getMessage();
        assertTrue(message.startsWith(file + ": a \"wordpiece\" tokenizer needs"), message);
    }
}
