package io.sparklm.bench;

import io.sparklm.data.CharTokenizer;
import io.sparklm.data.TextCorpus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A text file as the PyTorch peer reads it: characters as tokens (sorted distinct code points),
 * the first 90% for training and the rest for validation.
 */
record BenchmarkCorpus(CharTokenizer tokenizer, int[] train, int[] val) {
    static BenchmarkCorpus read(Path file) throws IOException {
        String text = TextCorpus.read(file);
        CharTokenizer tokenizer = CharTokenizer.fit(text);
        int[] ids = tokenizer.encode(text);
        int split = (int) (0.9 * ids.length);
        return new BenchmarkCorpus(tokenizer, Arrays.copyOfRange(ids, 0, split), Arrays.copyOfRange(ids, split, ids.length));
    }
}
