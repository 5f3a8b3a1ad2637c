package io.sparklm.data.corpus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A corpus given as one UTF-8 text file, read whole and strictly: malformed UTF-8 is an error
 * naming the line and byte, never silently replaced.
 */
public final class TextCorpus {
    private TextCorpus() {}

    /**
     * The text of {@code file}.
     *
     * @throws IOException naming the file if it is missing, a directory, empty, over 2 GB, or not
     *     UTF-8; for the last, with the 1-based line number and the 0-based byte offset of the
     *     first invalid byte in the file and in its line
     */
    public static String read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("corpus " + file + " is a directory; give a text file");
        }
        byte[] bytes;
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 8) {
                throw new IOException("corpus " + file + " is " + Files.size(file) + " bytes; split it into files under 2 GB");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("corpus " + file + " does not exist", e);
        }
        if (bytes.length == 0) {
            throw new IOException("corpus " + file + " is empty");
        }
        return decodeUtf8(bytes, file);
    }

    private static String decodeUtf8(byte[] bytes, Path file) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw invalidUtf8(bytes, in.position(), file);
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static IOException invalidUtf8(byte[] bytes, int offset, Path file) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new IOException(String.format("corpus %s line %d: invalid UTF-8 byte 0x%02X at file offset %d "
                        + "(line offset %d); re-save the file as UTF-8",
                file, line, bytes[offset] & 0xff, offset, offset - lineStart));
    }
}
