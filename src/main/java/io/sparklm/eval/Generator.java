package io.sparklm.eval;

import io.sparklm.model.Gpt;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;
import java.util.Arrays;

/**
 * Autoregressive sampling: p = softmax(z_last / temperature), restricted to the k most likely
 * tokens when top-k is set, then one draw; the context is the last blockSize tokens.
 * Temperature 0 means greedy (argmax).
 */
public final class Generator {
    private final Gpt model;

    public Generator(Gpt model) {
        this.model = model;
    }

    /** Returns the prompt followed by {@code count} sampled tokens. */
    public int[] generate(int[] prompt, int count, double temperature, int topK, Rng rng) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: give at least one token");
        }
        if (temperature < 0) {
            throw new IllegalArgumentException("temperature must be ≥ 0, got " + temperature);
        }
        int v = model.config().vocabSize();
        int[] out = Arrays.copyOf(prompt, prompt.length + count);
        int length = prompt.length;
        for (int i = 0; i < count; i++) {
            int start = Math.max(0, length - model.config().blockSize());
            int[] context = Arrays.copyOfRange(out, start, length);
            Tensor logits = model.forward(context, 1, context.length, Cache.inference());
            float[] last = Arrays.copyOfRange(logits.data, (context.length - 1) * v, context.length * v);
            out[length++] = temperature == 0 ? argmax(last) : sample(last, temperature, topK, rng);
        }
        return out;
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
            float[] sorted = z.clone();
            Arrays.sort(sorted);
            float threshold = sorted[z.length - topK];
            for (int i = 0; i < z.length; i++) {
                if (z[i] < threshold) {
                    z[i] = Float.NEGATIVE_INFINITY;
                }
            }
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
