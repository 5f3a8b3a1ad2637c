package io.sparklm.data.corpus;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class Utf8RecordsTest {
    private static List<Utf8Records.Record> records(byte[] bytes, boolean wholeStream) throws IOException {
        Utf8Records reader = new Utf8Records(new ByteArrayInputStream(bytes), wholeStream);
        List<Utf8Records.Record> records = new ArrayList<>();
        for (Utf8Records.Record r = reader.next(); r != null; r = reader.next()) {
            records.add(r);
        }
        return records;
    }

    @Test
    void linesSplitAtNewlinesWithCarriageReturnsDroppedAndNoRecordAfterTheLastNewline() throws IOException {
        List<Utf8Records.Record> lines = records("h\u00e9\r\n\nz\uD83D\uDE00\n".getBytes(StandardCharsets.UTF_8), false);
        assertEquals(List.of(new Utf8Records.Record(1, "h\u00e9", null), new Utf8Records.Record(2, "", null),
                new Utf8Records.Record(3, "z\uD83D\uDE00", null)), lines);
    }

    @Test
    void invalidBytesAreReportedWithLineAndOffsetsAndReadingGoesOn() throws IOException {
        byte[] bytes = {'a', 'b', '\n', 'c', 'd', (byte) 0xff, '\n', 'e'};
        List<Utf8Records.Record> lines = records(bytes, false);
        assertEquals(3, lines.size());
        assertNull(lines.get(1).text());
        assertEquals("line 2: invalid UTF-8 byte 0xFF at file offset 5 (line offset 2)", lines.get(1).invalid());
        assertEquals(new Utf8Records.Record(3, "e", null), lines.get(2));
    }

    @Test
    void theWholeStreamIsOneRecordAndItsErrorsNameTheirLine() throws IOException {
        assertEquals(List.of(new Utf8Records.Record(1, "a\r\nb\n", null)),
                records("a\r\nb\n".getBytes(StandardCharsets.UTF_8), true));
        // 0xC3 starts a two-byte sequence that the stream ends inside.
        Utf8Records.Record cut = records(new byte[] {'o', 'k', '\n', 'x', (byte) 0xc3}, true).get(0);
        assertEquals("line 2: invalid UTF-8 byte 0xC3 at file offset 4 (line offset 1)", cut.invalid());
    }

    @Test
    void linesLongerThanTheReadChunkAreWhole() throws IOException {
        String longLine = "\u00e9".repeat(100_000);
        List<Utf8Records.Record> lines = records((longLine + "\nend").getBytes(StandardCharsets.UTF_8), false);
        assertEquals(List.of(new Utf8Records.Record(1, longLine, null), new Utf8Records.Record(2, "end", null)), lines);
    }

    @Test
    void anEmptyStreamHasNoRecords() throws IOException {
        assertEquals(List.of(), records(new byte[0], false));
        assertEquals(List.of(), records(new byte[0], true));
    }
}
