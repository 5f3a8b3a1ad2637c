package io.sparklm.data.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextCorpusTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void readsUtf8WithMultibyteAndSupplementaryCharacters() throws IOException {
        String text = "First Citizen:\nBefore we proceed any further, h\u00e9ar me speak \uD83D\uDE00\n";
        Path file = write("input.txt", text.getBytes(StandardCharsets.UTF_8));
        assertEquals(text, TextCorpus.read(file));
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("nope.txt");
        String message = assertThrows(IOException.class, () -> TextCorpus.read(file)).getMessage();
        assertEquals("corpus " + file + " does not exist", message);
    }

    @Test
    void directoryIsNotACorpus() {
        String message = assertThrows(IOException.class, () -> TextCorpus.read(dir)).getMessage();
        assertEquals("corpus " + dir + " is a directory; give a text file", message);
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        Path file = write("empty.txt", new byte[0]);
        String message = assertThrows(IOException.class, () -> TextCorpus.read(file)).getMessage();
        assertEquals("corpus " + file + " is empty", message);
    }

    @Test
    void invalidUtf8NamesLineAndByteOffsets() throws IOException {
        // "ab\ncd\nef" then 0xFF: third line, file offset 8, offset 2 within the line.
        Path file = write("latin1.txt", new byte[] {'a', 'b', '\n', 'c', 'd', '\n', 'e', 'f', (byte) 0xff, 'g'});
        String message = assertThrows(IOException.class, () -> TextCorpus.read(file)).getMessage();
        assertEquals("corpus " + file + " line 3: invalid UTF-8 byte 0xFF at file offset 8 (line offset 2); "
                + "re-save the file as UTF-8", message);
    }

    @Test
    void multibyteSequenceCutOffAtTheEndIsInvalid() throws IOException {
        // 0xC3 starts a two-byte sequence (as in "é") that the file ends inside.
        Path file = write("cut.txt", new byte[] {'o', 'k', '\n', (byte) 0xc3});
        String message = assertThrows(IOException.class, () -> TextCorpus.read(file)).getMessage();
        assertEquals("corpus " + file + " line 2: invalid UTF-8 byte 0xC3 at file offset 3 (line offset 0); "
                + "re-save the file as UTF-8", message);
    }
}
