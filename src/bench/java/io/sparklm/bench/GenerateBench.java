package io.sparklm.bench;

import io.sparklm.eval.Generator;
import io.sparklm.model.Decoder;
import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Rng;
import java.util.Arrays;

/**
 * Generation speed with and without the key-value cache on a small GPT (vocabulary 2048, block
 * 512, 4 layers, 4 heads, width 128, random weights): a 16-token prompt and TOKENS greedy tokens
 * through {@link Generator} (cached), the same tokens by a full forward pass over the context per
 * token (uncached, what Generator did before), and {@code BATCH} sequences stepping together.
 *
 * <p>Usage: {@code GenerateBench [TOKENS] [BATCH]} (defaults 256 and 8). One figure per line.
 */
public final class GenerateBench {
    private GenerateBench() {
    }

    public static void main(String[] args) {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        ModelConfig config = ModelConfig.gpt(2048, 512, 4, 4, 128);
        Gpt model = new Gpt(config, 1337);
        int[] prompt = new int[16];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = (i * 131) % config.vocabSize();
        }
        int[] out = null;
        double cached = 0;
        double uncached = 0;
        double batched = 0;
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            out = new Generator(model).generate(prompt, tokens, 0, 0, new Rng(1));
            cached = seconds(start);
            start = System.nanoTime();
            for (int length = prompt.length; length < out.length; length++) {
                model.forward(Arrays.copyOf(out, length), 1, length, Cache.inference());
            }
            uncached = seconds(start);
            start = System.nanoTime();
            Decoder decoder = model.decoder(batch);
            for (int b = 0; b < batch; b++) {
                decoder.append(b, prompt);
            }
            int[] step = new int[batch];
            for (int length = prompt.length; length < out.length - 1; length++) {
                Arrays.fill(step, out[length]);
                decoder.step(step);
            }
            batched = seconds(start);
        }
        System.out.println("params: " + model.parameters().count());
        System.out.println("tokens: " + tokens);
        System.out.printf("cached_tokens_per_second: %.1f%n", tokens / cached);
        System.out.printf("uncached_tokens_per_second: %.1f%n", tokens / uncached);
        System.out.printf("batch: %d%n", batch);
        System.out.printf("batched_cached_tokens_per_second: %.1f%n", batch * tokens / batched);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
