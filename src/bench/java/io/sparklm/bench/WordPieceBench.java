package io.sparklm.bench;

import io.sparklm.data.corpus.EmbeddedCorpus;
import io.sparklm.data.tokenizer.WordPiece;
import io.sparklm.data.tokenizer.WordPieceTrainer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * WordPiece training on the embedded corpus (about 1 MB of English): seconds to learn a
 * vocabulary of VOCAB_SIZE locally (the first of 3 fits, JIT still cold, and the fastest), the
 * vocabulary reached, and tokens per UTF-8 byte of the corpus under the trained tokenizer.
 *
 * <p>Usage: {@code WordPieceBench [VOCAB_SIZE]} (default 8000). Prints one {@code key: value} figure per line.
 */
public final class WordPieceBench {
    private WordPieceBench() {
    }

    public static void main(String[] args) {
        int vocabSize = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
        String text = EmbeddedCorpus.englishText();
        List<String> lines = List.of(text.split("\n"));
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("corpus_mb: %.3f%n", bytes / 1e6);

        double[] trainSeconds = new double[3];
        WordPiece trained = null;
        for (int pass = 0; pass < trainSeconds.length; pass++) {
            long start = System.nanoTime();
            trained = WordPieceTrainer.fit(lines, vocabSize, true);
            trainSeconds[pass] = (System.nanoTime() - start) / 1e9;
        }
        System.out.printf("train_vocab_%d_first_seconds: %.3f%n", vocabSize, trainSeconds[0]);
        System.out.printf("train_vocab_%d_best_seconds: %.3f%n", vocabSize, Arrays.stream(trainSeconds).min().getAsDouble());
        System.out.printf("vocab_size: %d%n", trained.vocabSize());
        System.out.printf("tokens_per_byte: %.4f%n", trained.encode(text).length / (double) bytes);
    }
}
