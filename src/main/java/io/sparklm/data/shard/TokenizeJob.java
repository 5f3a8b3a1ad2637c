package io.sparklm.data.shard;

import io.sparklm.data.corpus.Corpus;
import io.sparklm.data.tokenizer.Tokenizer;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sparklm tokenize}: reads a corpus ({@link CorpusReader}), tokenises it with a ready
 * tokenizer and writes its shards ({@link Shards#write}). Logs progress: documents and tokens read,
 * blocks written, and the summary.
 */
public final class TokenizeJob {
    private static final Logger LOG = LoggerFactory.getLogger(TokenizeJob.class);

    /** What a run wrote: under {@code output} (for {@link Shards#open}), shards with this manifest; its wall time. */
    public record Summary(String output, ShardManifest manifest, double seconds) {
    }

    private TokenizeJob() {
    }

    /**
     * Runs the job.
     *
     * @throws CorpusException naming the input or output and the fix, for anything wrong with them
     */
    public static Summary run(SparkSession spark, TokenizeSettings settings, Tokenizer tokenizer) throws IOException {
        long start = System.nanoTime();
        LOG.info("tokenize: reading {} corpus {} with tokenizer {} ({} ids)", settings.corpus().format(), settings.input(),
                tokenizer.hash(), tokenizer.vocabSize());
        Corpus corpus = settings.corpus().read(spark, settings.input());
        ShardManifest manifest = Shards.write(spark, corpus, tokenizer, settings.shards(), settings.output(), settings.overwrite());
        Summary summary = new Summary(settings.output(), manifest, (System.nanoTime() - start) / 1e9);
        LOG.info("tokenize: {} train and {} val blocks of {} tokens ({} and {} documents) in {}, in {} s",
                manifest.train().blocks(), manifest.val().blocks(), manifest.spec().blockLength(), manifest.train().documents(),
                manifest.val().documents(), new Path(settings.output(), Shards.DIRECTORY), String.format("%.1f", summary.seconds()));
        return summary;
    }
}
