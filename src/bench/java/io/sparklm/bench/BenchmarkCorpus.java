package io.sparklm.bench;

import io.sparklm.data.corpus.TextCorpus;
import io.sparklm.data.tokenizer.CharTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A text as the PyTorch peer reads it: characters as tokens (sorted distinct code points),
 * the first 90% for training and the rest for validation.
 */
record BenchmarkCorpus(CharTokenizer tokenizer, int[] train, int[] val) {
    static BenchmarkCorpus read(Path file) throws IOException {
        return of(TextCorpus.read(file));
    }

    static BenchmarkCorpus of(String text) {
        CharTokenizer tokenizer = CharTokenizer.fit(text);
        int[] ids = tokenizer.encode(text);
        int split = (int) (0.9 * ids.length);
        return new BenchmarkCorpus(tokenizer, Arrays.copyOfRange(ids, 0, split), Arrays.copyOfRange(ids, split, ids.length));
    }

    /** The training tokens in contiguous, equal slices, one partition per worker. */
    JavaRDD<int[]> trainShards(JavaSparkContext sc, int workers) {
        List<int[]> slices = new ArrayList<>();
        int each = train.length / workers;
        for (int w = 0; w < workers; w++) {
            slices.add(Arrays.copyOfRange(train, w * each, (w + 1) * each));
        }
        return sc.parallelize(slices, workers).cache();
    }
}
