package io.sparklm.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.sparklm.data.corpus.EmbeddedCorpus;
import io.sparklm.data.tokenizer.BpeTrainer;
import io.sparklm.data.tokenizer.ByteBpe;
import io.sparklm.data.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Byte-level BPE on the embedded corpus (about 1 MB of English): seconds to train a vocabulary
 * of 1000 locally (the first of 3 fits, JIT still cold, and the fastest), and encoding speed in
 * MB/s of UTF-8 (fastest of 5 passes, each by a fresh tokenizer, so its word cache starts empty)
 * for the trained tokenizer, GPT-2's, and jtokkit's r50k_base for comparison.
 *
 * <p>Usage: {@code BpeBench [VOCAB_SIZE]}. Prints one {@code key: value} figure per line.
 */
public final class BpeBench {
    private BpeBench() {
    }

    public static void main(String[] args) {
        int vocabSize = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        String text = EmbeddedCorpus.englishText();
        List<String> lines = List.of(text.split("\n"));
        double megabytes = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        System.out.printf("corpus_mb: %.3f%n", megabytes);

        double[] trainSeconds = new double[3];
        for (int pass = 0; pass < trainSeconds.length; pass++) {
            long start = System.nanoTime();
            BpeTrainer.fit(lines, vocabSize, List.of(ByteBpe.END_OF_TEXT));
            trainSeconds[pass] = (System.nanoTime() - start) / 1e9;
        }
        System.out.printf("train_vocab_%d_first_seconds: %.3f%n", vocabSize, trainSeconds[0]);
        System.out.printf("train_vocab_%d_best_seconds: %.3f%n", vocabSize, Arrays.stream(trainSeconds).min().getAsDouble());
        ByteBpe trained = BpeTrainer.fit(lines, vocabSize, List.of(ByteBpe.END_OF_TEXT));
        System.out.printf("trained_tokens_per_byte: %.4f%n", trained.encode(text).length / (megabytes * 1e6));

        Encoding jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
        System.out.printf("encode_trained_mb_per_s: %.2f%n", megabytes / bestSeconds(() -> copy(trained), text));
        System.out.printf("encode_gpt2_mb_per_s: %.2f%n", megabytes / bestSeconds(() -> ByteBpe.gpt2()::encode, text));
        System.out.printf("encode_jtokkit_r50k_mb_per_s: %.2f%n", megabytes / bestSeconds(() -> jtokkit::encode, text));
    }

    /** Fastest of 5 encodings of {@code text}, each by a fresh encoder (made untimed). */
    private static double bestSeconds(Supplier<Consumer<String>> fresh, String text) {
        double best = Double.MAX_VALUE;
        for (int pass = 0; pass < 5; pass++) {
            Consumer<String> encoder = fresh.get();
            long start = System.nanoTime();
            encoder.accept(text);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    private static Consumer<String> copy(Tokenizer tokenizer) {
        try {
            return Tokenizer.fromJson(tokenizer.toJson(), "copy")::encode;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
