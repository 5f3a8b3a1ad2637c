package io.sparklm.data.shard;

import io.sparklm.LocalSpark;
import io.sparklm.data.corpus.CorpusReader;
import io.sparklm.data.corpus.TestCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.sparklm.data.corpus.TestCorpus.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizeJobTest {
    private final SparkSession spark = LocalSpark.get();
    private final ShardSpec spec = new ShardSpec(31, 0.1, 7);

    @TempDir
    Path dir;

    private TokenizeSettings settings(String input, CorpusReader corpus) {
        return new TokenizeSettings(input, corpus, dir.resolve("run").toString(), spec, false);
    }

    @Test
    void aParquetCorpusBecomesShardsThatOpenForTraining() throws IOException {
        String input = dir.resolve("corpus").toString();
        spark.createDataset(TestCorpus.documents(200), Encoders.STRING()).toDF("body").repartition(2).write().parquet(input);
        TokenizeJob.Summary summary = TokenizeJob.run(spark,
                settings(input, CorpusReader.of(CorpusReader.Format.PARQUET).withField("body")), TestCorpus.tokenizer());
        assertEquals(dir.resolve("run").toString(), summary.output());
        assertEquals(200, summary.manifest().train().documents() + summary.manifest().val().documents());
        assertTrue(summary.seconds() > 0);
        Shards shards = Shards.open(spark, summary.output(), TestCorpus.tokenizer(), 31);
        assertEquals(summary.manifest(), shards.manifest());
        assertEquals(summary.manifest().train().tokens(), shards.train(2).map(p -> (long) p.length).reduce(Long::sum));
    }

    @Test
    void skippedJsonlLinesAreCountedInTheManifest() throws IOException {
        List<String> lines = TestCorpus.documents(100).stream().map(text -> "{\"text\": \"" + text + "\"}").toList();
        Path input = Files.write(dir.resolve("c.jsonl"), (String.join("\n", lines) + "\nnot json\n{\"other\": 1}\n")
                .getBytes(StandardCharsets.UTF_8));
        TokenizeJob.Summary summary = TokenizeJob.run(spark,
                settings(input.toString(), CorpusReader.of(CorpusReader.Format.JSONL).withSkipInvalid(true)), TestCorpus.tokenizer());
        assertEquals(2, summary.manifest().invalidLinesSkipped());
        assertEquals(100, summary.manifest().train().documents() + summary.manifest().val().documents());
    }

    @Test
    void anEmptyOrMissingCorpusIsNamed() throws IOException {
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        CorpusReader text = CorpusReader.of(CorpusReader.Format.TEXT);
        assertEquals("corpus " + empty + " holds no documents; give it files with text",
                failure(() -> TokenizeJob.run(spark, settings(empty.toString(), text), TestCorpus.tokenizer())));
        String missing = dir.resolve("missing").toString();
        assertEquals("corpus " + missing + " does not exist",
                failure(() -> TokenizeJob.run(spark, settings(missing, text), TestCorpus.tokenizer())));
    }
}
