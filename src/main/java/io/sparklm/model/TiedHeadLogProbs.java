package io.sparklm.model;

import io.sparklm.nn.Cache;
import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Parallel;

/**
 * The tied output head read as a policy: for hidden states h (N, C) and the token embedding E
 * (V, C), logits z = h·Eᵀ, and per row the log-probability of its action a and the entropy,
 * <pre>
 *   log π(a) = z_a − logsumexp(z)                 ∂/∂z_j = 1[j = a] − p_j
 *   H        = −Σ_j p_j log p_j                   ∂/∂z_j = −p_j (log p_j + H)   (seeds-digest §10, {@code Ppo.entropyOfLogits})
 * </pre>
 * without holding the N·V logits ({@link TiedHeadChunks}); the backward pass forms each chunk's
 * logits again instead of keeping them, then dh = dz·E and dE += dzᵀ·h chunk by chunk.
 */
final class TiedHeadLogProbs {
    private static final TiedHeadChunks CHUNKS = new TiedHeadChunks(TiedHeadCrossEntropy.CHUNK_LOGITS);

    private TiedHeadLogProbs() {
    }

    /**
     * Writes log π(actions[i]) into {@code logProb[i]} and H(π) into {@code entropy[i]} for the N rows of h.
     *
     * @param h       (N, C) hidden states
     * @param actions N token ids in [0, V)
     * @param e       (V, C) embedding values
     */
    static void forward(float[] h, int[] actions, int n, int c, int v, float[] e, float[] logProb, float[] entropy, Cache scratch) {
        CHUNKS.run(h, n, c, v, e, (z, first, rows) -> {
            Parallel.forRange(rows, minRows(v), (from, to) -> {
                for (int i = from; i < to; i++) {
                    double lse = Kernels.logSumExp(z, i * v, v);
                    logProb[first + i] = (float) (z[i * v + actions[first + i]] - lse);
                    entropy[first + i] = (float) Kernels.entropy(z, i * v, v, lse);
                }
            });
            return 0;
        }, null, null, scratch);
    }

    /**
     * dh = ∂L/∂h (N, C, overwritten) and dE += ∂L/∂E from ∂L/∂log π ({@code dLogProb}, N) and ∂L/∂H
     * ({@code dEntropy}, N).
     */
    static void backward(float[] h, int[] actions, int n, int c, int v, float[] e, float[] dLogProb, float[] dEntropy,
                         float[] dh, float[] dE, Cache scratch) {
        CHUNKS.run(h, n, c, v, e, (z, first, rows) -> {
            Parallel.forRange(rows, minRows(v), (from, to) -> {
                for (int i = from; i < to; i++) {
                    int at = i * v;
                    double lse = Kernels.logSumExp(z, at, v);
                    double entropy = Kernels.entropy(z, at, v, lse);
                    double gLogProb = dLogProb[first + i];
                    double gEntropy = dEntropy[first + i];
                    for (int j = 0; j < v; j++) {
                        double logP = z[at + j] - lse;
                        double p = Math.exp(logP);
                        z[at + j] = (float) (-gLogProb * p - gEntropy * p * (logP + entropy));
                    }
                    z[at + actions[first + i]] += (float) gLogProb;
                }
            });
            return 0;
        }, dh, dE, scratch);
    }

    /** Rows per loop thread at the least: 32K logits. */
    private static int minRows(int v) {
        return Math.max(1, (1 << 15) / v);
    }
}
