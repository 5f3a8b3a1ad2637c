package io.sparklm.eval;

import io.sparklm.model.Decoder;
import io.sparklm.model.Gpt;
import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;
import java.util.Arrays;

/**
 * Autoregressive sampling: p = softmax(z_last / temperature), restricted to the k most likely
 * tokens when top-k is set ({@link TopK}), then one draw. Temperature 0 means greedy (argmax).
 *
 * <p>Decoding is incremental ({@link Decoder}): the prompt's last blockSize tokens are processed
 * once, then each new token costs one position. When the context reaches blockSize tokens, the
 * cache is cleared and refilled with the last {@link #window} = ⌈blockSize/2⌉ tokens, after which
 * ⌊blockSize/2⌋ more tokens decode incrementally. A window that slid by one token per step (as a
 * full re-run of the last blockSize tokens does) would need a full re-prefill for every token,
 * since every cached key depends on its position; the half window costs one prefill of blockSize/2
 * tokens per blockSize/2 new ones and keeps at least half a block of context. Up to blockSize
 * tokens, the output equals a full forward pass over the whole sequence at every step.
 */
public final class Generator {
    private final Gpt model;

    public Generator(Gpt model) {
        this.model = model;
    }

    /** Returns the prompt followed by {@code count} sampled tokens. */
    public int[] generate(int[] prompt, int count, double temperature, int topK, Rng rng) {
        return generate(prompt, count, temperature, topK, rng, -1);
    }

    /**
     * Returns the prompt followed by at most {@code count} sampled tokens, stopping before
     * {@code endId} when it is drawn (−1: never): a response, as RLHF samples it.
     */
    public int[] generate(int[] prompt, int count, double temperature, int topK, Rng rng, int endId) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: give at least one token");
        }
        if (temperature < 0) {
            throw new IllegalArgumentException("temperature must be ≥ 0, got " + temperature);
        }
        int blockSize = model.config().blockSize();
        int[] out = Arrays.copyOf(prompt, prompt.length + count);
        int length = prompt.length;
        if (count == 0) {
            return out;
        }
        try (Decoder decoder = model.decoder(1)) {
            Tensor logits = decoder.append(0, Arrays.copyOfRange(out, Math.max(0, length - blockSize), length));
            while (length < out.length) {
                int token = pick(logits.data, temperature, topK, rng);
                if (token == endId) {
                    return Arrays.copyOf(out, length);
                }
                out[length++] = token;
                if (length == out.length) {
                    break;
                }
                if (decoder.length(0) < blockSize) {
                    logits = decoder.step(new int[] {token});
                } else {
                    decoder.clear(0);
                    logits = decoder.append(0, Arrays.copyOfRange(out, length - window(blockSize), length));
                }
            }
        }
        return out;
    }

    /** Tokens kept as context when a full cache is refilled: ⌈blockSize/2⌉. */
    static int window(int blockSize) {
        return blockSize - blockSize / 2;
    }

    /** The next token from last-position logits z (V), which it overwrites: argmax at temperature 0, else a draw. */
    static int pick(float[] z, double temperature, int topK, Rng rng) {
        return temperature == 0 ? argmax(z) : sample(z, temperature, topK, rng);
    }

    private static int argmax(float[] z) {
        int best = 0;
        for (int i = 1; i < z.length; i++) {
            if (z[i] > z[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int sample(float[] z, double temperature, int topK, Rng rng) {
        if (topK > 0 && topK < z.length) {
            TopK.mask(z, topK);
        }
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (z[i] / temperature);
        }
        Kernels.softmaxInPlace(z, 0, z.length);
        double u = rng.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < z.length; i++) {
            cumulative += z[i];
            if (u < cumulative) {
                return i;
            }
        }
        return argmax(z);
    }
}
