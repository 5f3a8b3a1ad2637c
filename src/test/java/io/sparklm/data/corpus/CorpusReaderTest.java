package io.sparklm.data.corpus;

import io.sparklm.LocalSpark;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.sparklm.data.corpus.TestCorpus.failure;
import static io.sparklm.data.corpus.TestCorpus.writeLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorpusReaderTest {
    private final SparkSession spark = LocalSpark.get();
    private static final CorpusReader TEXT = CorpusReader.of(CorpusReader.Format.TEXT);
    private static final CorpusReader JSONL = CorpusReader.of(CorpusReader.Format.JSONL);
    private static final CorpusReader PARQUET = CorpusReader.of(CorpusReader.Format.PARQUET);

    @TempDir
    Path dir;

    private List<Document> read(CorpusReader reader, Object uri) throws IOException {
        return reader.read(spark, uri.toString()).documents().collect();
    }

    /** The qualified URI a reader names a local file by: {@code file:/tmp/…}. */
    private static String uri(Path file) {
        return "file:" + file;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Files.createDirectories(dir.resolve(name).getParent());
        return Files.write(dir.resolve(name), bytes);
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void textLinesAreDocumentsIdentifiedByFileAndLine() throws IOException {
        Path file = write("a.txt", "First line\r\nsecond, h\u00e9\n\nfourth \uD83D\uDE00");
        assertEquals(List.of(new Document("a.txt:1", "First line"), new Document("a.txt:2", "second, h\u00e9"),
                new Document("a.txt:4", "fourth \uD83D\uDE00")), read(TEXT, file));
    }

    @Test
    void aGlobWithNoDirectoryIsRelativeToTheWorkingDirectory() throws IOException {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        assertEquals(Path.of("").toAbsolutePath().toString(), CorpusFiles.root("*.xml", conf));
        assertEquals(dir.toString(), CorpusFiles.root(dir + "/d*/x", conf));
    }

    @Test
    void idsNameFilesRelativeToTheInputSoACopyElsewhereSplitsTheSame() throws IOException {
        write("here/d/sub/a.txt", "one\ntwo");
        write("there/deeper/d/sub/a.txt", "one\ntwo");
        List<Document> here = read(TEXT, dir.resolve("here/d"));
        assertEquals(List.of(new Document("sub/a.txt:1", "one"), new Document("sub/a.txt:2", "two")), here);
        assertEquals(here, read(TEXT, dir.resolve("there/deeper/d")));
        assertEquals(List.of(new Document("sub/a.txt:1", "one"), new Document("sub/a.txt:2", "two")), read(TEXT, dir.resolve("here/d/s*")));
    }

    @Test
    void wholeFileTextIsOneDocumentPerFile() throws IOException {
        Path a = write("d/a.txt", "one\ntwo\n");
        Path b = write("d/b.txt", "three");
        assertEquals(List.of(new Document("a.txt", "one\ntwo\n"), new Document("b.txt", "three")),
                read(TEXT.withWholeFile(true), dir.resolve("d")));
    }

    @Test
    void directoriesAndGlobsReadTheirFilesInPathOrderSkippingHiddenOnes() throws IOException {
        write("d/b.txt", "b1\nb2");
        write("d/a.txt", "a1");
        write("d/sub/c.txt", "c1");
        write("d/_SUCCESS", "");
        write("d/.a.txt.crc", "x");
        write("d/_tmp/z.txt", "z1");
        List<String> texts = read(TEXT, dir.resolve("d")).stream().map(Document::text).toList();
        assertEquals(List.of("a1", "b1", "b2", "c1"), texts);
        assertEquals(List.of("a1", "b1", "b2"), read(TEXT, dir.resolve("d/*.txt")).stream().map(Document::text).toList());
    }

    @Test
    void gzippedFilesAreDecompressed() throws IOException {
        Path file = dir.resolve("c.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("zipped\nlines\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of(new Document("c.txt.gz:1", "zipped"), new Document("c.txt.gz:2", "lines")), read(TEXT, file));
    }

    @Test
    void jsonlDocumentsAreTheNamedStringField() throws IOException {
        Path file = write("c.jsonl", "{\"id\": 1, \"body\": \"hello\"}\n\n{\"body\": \"w\\u00f6rld\", \"extra\": [1]}\n");
        assertEquals(List.of(new Document("c.jsonl:1", "hello"), new Document("c.jsonl:3", "w\u00f6rld")),
                read(JSONL.withField("body"), file));
    }

    @Test
    void parquetDocumentsAreTheNamedStringColumnIdentifiedByFileAndRow() throws IOException {
        StructType schema = new StructType().add("n", DataTypes.IntegerType).add("body", DataTypes.StringType);
        List<Row> rows = List.of(RowFactory.create(1, "alpha"), RowFactory.create(2, ""), RowFactory.create(3, "gamma"));
        String out = dir.resolve("p").toString();
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(out);
        List<Document> documents = read(PARQUET.withField("body"), out);
        assertEquals(List.of("alpha", "gamma"), documents.stream().map(Document::text).toList());
        assertEquals(List.of(":0", ":2"), documents.stream().map(d -> d.id().substring(d.id().lastIndexOf(':'))).toList());
        assertEquals(1, documents.stream().map(d -> d.id().substring(0, d.id().lastIndexOf(':'))).distinct().count());
    }

    @Test
    void aNullParquetValueIsAnErrorNamingFileAndRowOrIsSkipped() throws IOException {
        StructType schema = new StructType().add("text", DataTypes.StringType);
        String out = dir.resolve("p").toString();
        spark.createDataFrame(List.of(RowFactory.create("kept"), RowFactory.create((Object) null)), schema).coalesce(1)
                .write().parquet(out);
        String message = failure(() -> read(PARQUET, out));
        assertTrue(message.matches("corpus file:.*/p/part-00000-.*\\.parquet row 1: column \"text\" is null; drop such rows, "
                + "or set skipInvalid to skip them"), message);
        Corpus skipping = PARQUET.withSkipInvalid(true).read(spark, out);
        assertEquals(List.of("kept"), skipping.documents().map(Document::text).collect());
        assertEquals(1, skipping.invalidSkipped().value());
    }

    @Test
    void invalidUtf8IsAnErrorNamingFileLineAndByteOffsets() throws IOException {
        Path file = write("latin1.txt", new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xe9, '\n'});
        assertEquals("corpus " + uri(file) + " line 2: invalid UTF-8 byte 0xE9 at file offset 6 (line offset 3); "
                + "re-save the file as UTF-8, or set skipInvalid to drop such lines", failure(() -> read(TEXT, file)));
    }

    @Test
    void skipInvalidDropsInvalidLinesAndCountsThem() throws IOException {
        write("s/a.txt", new byte[] {'o', 'k', '\n', (byte) 0xff, '\n', 'f', 'i', 'n', 'e', '\n', (byte) 0xc0, (byte) 0xaf});
        write("s/b.jsonl", "{\"text\": \"yes\"}\n{\"text\": \"x\"");
        Corpus text = TEXT.withSkipInvalid(true).read(spark, dir.resolve("s/a.txt").toString());
        assertEquals(List.of("ok", "fine"), text.documents().map(Document::text).collect());
        assertEquals(2, text.invalidSkipped().value());
        Corpus jsonl = JSONL.withSkipInvalid(true).read(spark, dir.resolve("s/b.jsonl").toString());
        assertEquals(List.of("yes"), jsonl.documents().map(Document::text).collect());
        assertEquals(1, jsonl.invalidSkipped().value());
    }

    @Test
    void aJsonlLineThatIsNotJsonIsAnErrorNamingFileAndLine() throws IOException {
        Path file = write("bad.jsonl", "{\"text\": \"fine\"}\n{\"text\": oops}\n");
        String message = failure(() -> read(JSONL, file));
        assertEquals("corpus " + uri(file) + " line 2 is not JSON (", message.substring(0, message.indexOf('(') + 1));
        assertEquals("); fix the line, or set skipInvalid to drop such lines", message.substring(message.lastIndexOf(')')));
        Path trailing = write("trailing.jsonl", "{\"text\": \"a\"} {\"text\": \"b\"}\n");
        assertTrue(failure(() -> read(JSONL, trailing)).startsWith("corpus " + uri(trailing) + " line 1 is not JSON (Trailing token"));
        Path array = write("array.jsonl", "[1, 2]\n");
        assertEquals("corpus " + uri(array) + " line 1 is not a JSON object; give one object per line, or set skipInvalid to "
                + "drop such lines", failure(() -> read(JSONL, array)));
    }

    @Test
    void aJsonlLineWithoutTheFieldIsAnErrorNamingFileLineAndFields() throws IOException {
        Path file = write("c.jsonl", "{\"text\": \"fine\"}\n{\"id\": 2, \"body\": \"elsewhere\"}\n{\"text\": 3}\n");
        assertEquals("corpus " + uri(file) + " line 2 has no string field \"text\" (its fields: id, body); set field to the "
                + "one holding the text, or set skipInvalid to drop such lines", failure(() -> read(JSONL, file)));
    }

    @Test
    void aParquetCorpusWithoutTheColumnIsAnErrorNamingItsColumns() {
        String out = dir.resolve("p").toString();
        spark.range(3).toDF("n").write().parquet(out);
        assertEquals("corpus " + out + " has no column \"text\" (its columns: n); set field to the column holding the text",
                failure(() -> read(PARQUET, out)));
        assertEquals("corpus " + out + " column \"n\" is bigint, not string; set field to a string column",
                failure(() -> read(PARQUET.withField("n"), out)));
    }

    @Test
    void aMissingPathIsNamed() {
        String missing = dir.resolve("x.txt").toString();
        assertEquals("corpus " + missing + " does not exist", failure(() -> read(TEXT, missing)));
        assertEquals("corpus " + dir + "/*.txt matches no files", failure(() -> read(TEXT, dir + "/*.txt")));
    }

    @Test
    void aDirectoryWithoutFilesIsAnError() throws IOException {
        Files.createDirectories(dir.resolve("empty/sub"));
        write("empty/_SUCCESS", "");
        assertEquals("corpus " + dir.resolve("empty") + " holds no files", failure(() -> read(TEXT, dir.resolve("empty"))));
    }

    @Test
    void formatsAreNamedInLowerCase() {
        assertEquals(CorpusReader.Format.JSONL, CorpusReader.Format.of("jsonl"));
        assertEquals("unknown corpus format \"csv\"; use one of [text, jsonl, parquet]",
                assertThrows(IllegalArgumentException.class, () -> CorpusReader.Format.of("csv")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> JSONL.withWholeFile(true));
    }

    @Test
    void documentsAreSortedByFileThenLine() throws IOException {
        Path file = writeLines(dir.resolve("many.txt"), TestCorpus.documents(50));
        List<Document> documents = read(TEXT, file);
        assertEquals(TestCorpus.documents(50), documents.stream().map(Document::text).toList());
        assertEquals(documents, documents.stream().sorted(Comparator.comparingInt(
                d -> Integer.parseInt(d.id().substring(d.id().lastIndexOf(':') + 1)))).toList());
    }
}
