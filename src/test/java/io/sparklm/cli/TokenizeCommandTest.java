package io.sparklm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sparklm.LocalSpark;
import io.sparklm.data.tokenizer.Tokenizer;
import io.sparklm.data.tokenizer.WordPiece;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparklm tokenize} with each way of choosing the tokenizer. */
class TokenizeCommandTest {
    @TempDir
    Path dir;

    @Test
    void wordpieceKindTrainsOnTheCorpusAndSeparatesDocumentsWithSep() throws IOException {
        LocalSpark.get();
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), PipelineTest.corpus());
        Path out = dir.resolve("out");
        MainTest.Outcome tok = MainTest.run("tokenize", "data.input=" + corpus, "data.output=" + out, "shards.blockSize=16",
                "tokenizer.kind=wordpiece", "tokenizer.vocabSize=60");
        assertEquals(0, tok.status(), tok.err());
        assertTrue(tok.out().contains("wordpiece tokenizer, vocabulary 60"), tok.out());

        Tokenizer tokenizer = Tokenizer.load(out.resolve("tokenizer.json"));
        assertInstanceOf(WordPiece.class, tokenizer);
        JsonNode json = new JsonMapper().readTree(out.resolve("tokenizer.json").toFile());
        assertEquals("wordpiece", json.get("type").textValue());
        assertTrue(json.get("lowercase").booleanValue());
        assertEquals(WordPiece.SEPARATOR, json.get("vocab").get(3).textValue());
        JsonNode manifest = new JsonMapper().readTree(out.resolve("shards/manifest.json").toFile());
        assertEquals("wordpiece", manifest.get("tokenizerType").textValue());
        assertEquals(3, manifest.get("endOfText").intValue());

        // Between two [SEP]s lies one whole document: a corpus line, "the cat sat on the mat." decoding as "the cat sat on the mat .".
        Set<String> lines = Set.copyOf(Arrays.asList(PipelineTest.corpus().replace(".", " .").split("\n")));
        List<Integer> stream = new ArrayList<>();
        for (Row row : LocalSpark.get().read().parquet(out.resolve("shards/train").toString()).collectAsList()) {
            stream.addAll(row.<Integer>getList(0));
        }
        int first = stream.indexOf(3);
        int second = stream.subList(first + 1, stream.size()).indexOf(3) + first + 1;
        assertTrue(first >= 0 && second > first, "two separators in " + stream.size() + " tokens");
        int[] document = stream.subList(first + 1, second).stream().mapToInt(Integer::intValue).toArray();
        assertTrue(lines.contains(tokenizer.decode(document)), tokenizer.decode(document));
        assertTrue(stream.stream().noneMatch(id -> id == 1), "no [UNK]: every character of the corpus is frequent");
    }

    @Test
    void anUnknownKindIsAnErrorListingTheKinds() throws IOException {
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), PipelineTest.corpus());
        MainTest.Outcome bad = MainTest.run("tokenize", "data.input=" + corpus, "data.output=" + dir.resolve("out"),
                "tokenizer.kind=sentencepiece");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("tokenizer.kind must be char, bpe, wordpiece, gpt2 or file, got 'sentencepiece'"), bad.err());
    }
}
