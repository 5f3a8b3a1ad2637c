package io.sparklm.model;

import io.sparklm.tensor.Blas;

/**
 * The tied output head read as a policy: for hidden states h (N, C) and the token embedding E
 * (V, C), logits z = h·Eᵀ, and per row the log-probability of its action a and the entropy,
 * <pre>
 *   log π(a) = z_a − logsumexp(z)                 ∂/∂z_j = 1[j = a] − p_j
 *   H        = −Σ_j p_j log p_j                   ∂/∂z_j = −p_j (log p_j + H)   (seeds-digest §10, {@code Ppo.entropyOfLogits})
 * </pre>
 * without holding the N·V logits: rows are taken R at a time (R·V ≤ {@link TiedHeadCrossEntropy#CHUNK_LOGITS}),
 * and the backward pass forms each chunk's logits again instead of keeping them, then
 * dh = dz·E and dE += dzᵀ·h chunk by chunk.
 */
final class TiedHeadLogProbs {
    private TiedHeadLogProbs() {
    }

    /** Rows per chunk of V logits. */
    private static int rowsPerChunk(int n, int v) {
        return Math.max(1, Math.min(n, TiedHeadCrossEntropy.CHUNK_LOGITS / v));
    }

    /**
     * Writes log π(actions[i]) into {@code logProb[i]} and H(π) into {@code entropy[i]} for the N rows of h.
     *
     * @param h       (N, C) hidden states
     * @param actions N token ids in [0, V)
     * @param e       (V, C) embedding values
     */
    static void forward(float[] h, int[] actions, int n, int c, int v, float[] e, float[] logProb, float[] entropy) {
        int rows = rowsPerChunk(n, v);
        float[] z = new float[rows * v];
        for (int first = 0; first < n; first += rows) {
            int r = Math.min(rows, n - first);
            logits(h, first, r, c, v, e, z);
            for (int i = 0; i < r; i++) {
                double lse = logSumExp(z, i * v, v);
                logProb[first + i] = (float) (z[i * v + actions[first + i]] - lse);
                entropy[first + i] = (float) entropy(z, i * v, v, lse);
            }
        }
    }

    /**
     * dh = ∂L/∂h (N, C, overwritten) and dE += ∂L/∂E from ∂L/∂log π ({@code dLogProb}, N) and ∂L/∂H
     * ({@code dEntropy}, N).
     */
    static void backward(float[] h, int[] actions, int n, int c, int v, float[] e, float[] dLogProb, float[] dEntropy,
                         float[] dh, float[] dE) {
        int rows = rowsPerChunk(n, v);
        float[] z = new float[rows * v];
        float[] hChunk = new float[rows * c];
        float[] dhChunk = new float[rows * c];
        for (int first = 0; first < n; first += rows) {
            int r = Math.min(rows, n - first);
            logits(h, first, r, c, v, e, z);
            for (int i = 0; i < r; i++) {
                int at = i * v;
                double lse = logSumExp(z, at, v);
                double entropy = entropy(z, at, v, lse);
                double gLogProb = dLogProb[first + i];
                double gEntropy = dEntropy[first + i];
                for (int j = 0; j < v; j++) {
                    double logP = z[at + j] - lse;
                    double p = Math.exp(logP);
                    z[at + j] = (float) (-gLogProb * p - gEntropy * p * (logP + entropy));
                }
                z[at + actions[first + i]] += (float) gLogProb;
            }
            System.arraycopy(h, first * c, hChunk, 0, r * c);
            Blas.gemm(false, false, r, c, v, 1f, z, e, 0f, dhChunk);
            System.arraycopy(dhChunk, 0, dh, first * c, r * c);
            Blas.gemm(true, false, v, c, r, 1f, z, hChunk, 1f, dE);
        }
    }

    /** z (R, V) = h[first, first + R)·Eᵀ. */
    private static void logits(float[] h, int first, int r, int c, int v, float[] e, float[] z) {
        float[] rows = java.util.Arrays.copyOfRange(h, first * c, (first + r) * c);
        Blas.gemm(false, true, r, v, c, 1f, rows, e, 0f, z);
    }

    private static double logSumExp(float[] z, int from, int v) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = from; j < from + v; j++) {
            max = Math.max(max, z[j]);
        }
        double sum = 0;
        for (int j = from; j < from + v; j++) {
            sum += Math.exp(z[j] - max);
        }
        return max + Math.log(sum);
    }

    private static double entropy(float[] z, int from, int v, double lse) {
        double h = 0;
        for (int j = from; j < from + v; j++) {
            double logP = z[j] - lse;
            h -= Math.exp(logP) * logP;
        }
        return h;
    }
}
