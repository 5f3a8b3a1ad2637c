package io.sparklm.data.shard;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sparklm.data.corpus.CorpusException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** JSON files on a Hadoop FileSystem, written pretty-printed in UTF-8 with a final newline. */
final class JsonFiles {
    private static final JsonMapper MAPPER = new JsonMapper();

    private JsonFiles() {
    }

    static JsonNode read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return MAPPER.readTree(in);
        } catch (JacksonException e) {
            throw new CorpusException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code json} to {@code file}, replacing it. */
    static void write(FileSystem fs, Path file, JsonNode json) throws IOException {
        try (OutputStream out = fs.create(file, true)) {
            out.write((MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
