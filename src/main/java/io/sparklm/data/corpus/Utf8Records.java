package io.sparklm.data.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The records of a UTF-8 byte stream, decoded strictly (malformed bytes are reported, never
 * replaced): either its lines, split at {@code '\n'} with a {@code '\r'} before it dropped and no
 * record after a final {@code '\n'}, or the whole stream as one record. The stream is read in
 * chunks; only the current record is held in memory.
 */
final class Utf8Records {
    /**
     * One record. {@code firstLine} is 1-based. For bytes that are not UTF-8, {@code text} is null
     * and {@code invalid} says where, as {@code line 3: invalid UTF-8 byte 0xFF at file offset 8
     * (line offset 2)}, offsets 0-based in bytes.
     */
    record Record(long firstLine, String text, String invalid) {
    }

    private final InputStream in;
    private final boolean wholeStream;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkStart;
    private int chunkEnd;
    private byte[] bytes = new byte[1 << 10];
    private int length;
    private long nextOffset;
    private long nextLine = 1;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private CharBuffer chars = CharBuffer.allocate(1 << 10);

    /** Lines of {@code in}, or its whole content as one record when {@code wholeStream}. */
    Utf8Records(InputStream in, boolean wholeStream) {
        this.in = in;
        this.wholeStream = wholeStream;
    }

    /** The next record, or null at the end of the stream. */
    Record next() throws IOException {
        long offset = nextOffset;
        long line = nextLine;
        length = 0;
        boolean ended = false;
        boolean readAny = false;
        while (!ended) {
            if (chunkStart == chunkEnd && !fill()) {
                break;
            }
            readAny = true;
            int end = wholeStream ? chunkEnd : indexOfNewline();
            ended = end < chunkEnd;
            append(chunkStart, end);
            chunkStart = ended ? end + 1 : end;
        }
        if (!readAny) {
            return null;
        }
        nextOffset = offset + length + (ended ? 1 : 0);
        nextLine = line + 1;
        int recordLength = !wholeStream && length > 0 && bytes[length - 1] == '\r' ? length - 1 : length;
        return decode(recordLength, offset, line);
    }

    private boolean fill() throws IOException {
        int n = in.read(chunk);
        chunkStart = 0;
        chunkEnd = Math.max(n, 0);
        return n > 0;
    }

    private int indexOfNewline() {
        for (int i = chunkStart; i < chunkEnd; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return chunkEnd;
    }

    private void append(int from, int to) {
        int n = to - from;
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + n, 2 * bytes.length));
        }
        System.arraycopy(chunk, from, bytes, length, n);
        length += n;
    }

    private Record decode(int recordLength, long offset, long line) {
        if (chars.capacity() < recordLength) {
            chars = CharBuffer.allocate(Math.max(recordLength, 2 * chars.capacity()));
        }
        chars.clear();
        ByteBuffer input = ByteBuffer.wrap(bytes, 0, recordLength);
        decoder.reset();
        if (decoder.decode(input, chars, true).isError()) {
            return new Record(line, null, describeInvalid(input.position(), offset, line));
        }
        decoder.flush(chars);
        return new Record(line, chars.flip().toString(), null);
    }

    /** Where byte {@code at} of the current record lies: its line, and offsets in the file and line. */
    private String describeInvalid(int at, long offset, long line) {
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return String.format("line %d: invalid UTF-8 byte 0x%02X at file offset %d (line offset %d)",
                line, bytes[at] & 0xff, offset + at, at - lineStart);
    }
}
