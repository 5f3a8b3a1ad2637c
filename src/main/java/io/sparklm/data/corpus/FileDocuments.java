package io.sparklm.data.corpus;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.TaskContext;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The documents of one text or JSONL file, read lazily from a Hadoop FileSystem stream, strictly
 * as UTF-8 (see {@link Utf8Records}). A file whose name ends in a Hadoop codec's extension
 * ({@code .gz}, {@code .bz2}, ...) is decompressed; byte offsets in errors are then offsets into
 * the decompressed bytes.
 *
 * <p>{@code text}: each line is a document (or the whole file, with {@code wholeFile}).
 * {@code jsonl}: each line is a JSON object whose string field {@code field} is the document.
 * Empty documents are dropped. An invalid record (bytes that are not UTF-8, a line that is not a
 * JSON object, an object without the string field) throws a {@link CorpusException} naming the
 * file and line, or with {@code skipInvalid} is dropped and counted.
 */
final class FileDocuments implements Iterator<Document> {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final String file;
    /** The file as documents' ids name it ({@link CorpusFiles#relative}). */
    private final String name;
    private final CorpusReader reader;
    private final LongAccumulator invalidSkipped;
    private final InputStream in;
    private final Utf8Records records;
    private Document next;

    /** Opens {@code file}; the stream closes at its end or when the Spark task completes. */
    FileDocuments(String file, String name, Configuration conf, CorpusReader reader, LongAccumulator invalidSkipped) throws IOException {
        this.file = file;
        this.name = name;
        this.reader = reader;
        this.invalidSkipped = invalidSkipped;
        Path path = new Path(file);
        InputStream raw = path.getFileSystem(conf).open(path);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
        this.in = codec == null ? raw : codec.createInputStream(raw);
        this.records = new Utf8Records(in, reader.wholeFile());
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> close());
        }
    }

    @Override
    public boolean hasNext() {
        try {
            while (next == null) {
                Utf8Records.Record record = records.next();
                if (record == null) {
                    close();
                    return false;
                }
                next = document(record);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Document next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Document document = next;
        next = null;
        return document;
    }

    /** The record's document; null when it is empty or skipped. */
    private Document document(Utf8Records.Record record) throws CorpusException {
        String id = reader.wholeFile() ? name : name + ":" + record.firstLine();
        String where = "corpus " + file + " line " + record.firstLine();
        if (record.invalid() != null) {
            return invalid("corpus " + file + " " + record.invalid() + "; re-save the file as UTF-8");
        }
        if (record.text().isEmpty()) {
            return null;
        }
        if (reader.format() == CorpusReader.Format.TEXT) {
            return new Document(id, record.text());
        }
        JsonNode json;
        try {
            json = JSON.readTree(record.text());
        } catch (JacksonException e) {
            return invalid(where + " is not JSON (" + e.getOriginalMessage() + "); fix the line");
        }
        if (json == null || !json.isObject()) {
            return invalid(where + " is not a JSON object; give one object per line");
        }
        JsonNode text = json.get(reader.field());
        if (text == null || !text.isTextual()) {
            return invalid(where + " has no string field \"" + reader.field() + "\" (its fields: "
                    + String.join(", ", (Iterable<String>) json::fieldNames) + "); set field to the one holding the text");
        }
        return text.textValue().isEmpty() ? null : new Document(id, text.textValue());
    }

    /** Skips and counts the record with {@code skipInvalid}; else throws, naming the option. */
    private Document invalid(String message) throws CorpusException {
        if (!reader.skipInvalid()) {
            throw new CorpusException(message + ", or set skipInvalid to drop such lines");
        }
        invalidSkipped.add(1);
        return null;
    }

    private void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close corpus " + file, e);
        }
    }
}
