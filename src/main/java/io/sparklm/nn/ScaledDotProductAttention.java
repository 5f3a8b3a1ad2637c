package io.sparklm.nn;

import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Parallel;

/**
 * Multi-head scaled dot-product attention on projected rows (Vaswani et al., 2017, §3.2):
 * for each head, P = softmax(Q·Kᵀ/√d_k + M) and O = P·V, with d_k the head size and M = −∞ on
 * masked keys (future positions when causal, padding where a key-valid mask says so). A query
 * row whose keys are all masked gets P = 0 and O = 0, not NaN.
 *
 * <p>Q, K and V are read as strided views ({@link Rows}) into the projection outputs, so the fused
 * (B, T, 3C) output of {@code c_attn} needs no split. Backward, with dP = dO·Vᵀ:
 * dV = Pᵀ·dO, dS = P ⊙ (dP − rowsum(P ⊙ dP)), dQ = dS·K/√d_k, dK = dSᵀ·Q/√d_k.
 * Heads of different (batch, head) pairs touch disjoint columns and run in parallel.
 */
final class ScaledDotProductAttention {
    /** Row r of a (rows, stride) matrix starts at {@code offset + r·stride}; head h adds h·headSize. */
    record Rows(float[] data, int offset, int stride) {
        int at(int row) {
            return offset + row * stride;
        }
    }

    /** Sizes and masks of one attention call. */
    record Shape(int batch, int queries, int keys, int heads, int headSize, boolean causal, boolean[] keyValid) {
        int width() {
            return heads * headSize;
        }

        /** Keys visible to query t (a prefix of the key axis). */
        int visible(int t) {
            return causal ? Math.min(t + 1, keys) : keys;
        }

        boolean masked(int b, int s) {
            return keyValid != null && !keyValid[b * keys + s];
        }
    }

    private ScaledDotProductAttention() {
    }

    /**
     * @param out   (B, Tq, C) output, written
     * @param probs (B, H, Tq, Tk) attention weights, written (kept for backward)
     */
    static void forward(Rows q, Rows k, Rows v, Shape sh, float[] out, float[] probs) {
        int hs = sh.headSize();
        int tk = sh.keys();
        float scale = (float) (1.0 / Math.sqrt(hs));
        Parallel.forRange(sh.batch() * sh.heads(), 1, (from, to) -> {
            float[] kt = new float[hs * tk];
            for (int bh = from; bh < to; bh++) {
                int b = bh / sh.heads();
                int h = bh % sh.heads();
                transposeHead(k, b * tk, h * hs, hs, tk, kt);
                for (int t = 0; t < sh.queries(); t++) {
                    int row = (bh * sh.queries() + t) * tk;
                    int limit = sh.visible(t);
                    int qBase = q.at(b * sh.queries() + t) + h * hs;
                    for (int d = 0; d < hs; d++) {
                        Kernels.axpy(limit, q.data()[qBase + d] * scale, kt, d * tk, probs, row);
                    }
                    maskedSoftmax(probs, row, limit, tk, sh, b);
                    int oBase = (b * sh.queries() + t) * sh.width() + h * hs;
                    for (int s = 0; s < limit; s++) {
                        float p = probs[row + s];
                        if (p != 0f) {
                            Kernels.axpy(hs, p, v.data(), v.at(b * tk + s) + h * hs, out, oBase);
                        }
                    }
                }
            }
        });
    }

    /** Accumulates dQ, dK, dV (into views of the same strides as Q, K, V) from dO (B, Tq, C). */
    static void backward(float[] dOut, float[] probs, Rows q, Rows k, Rows v, Rows dq, Rows dk, Rows dv, Shape sh) {
        int hs = sh.headSize();
        int tk = sh.keys();
        float scale = (float) (1.0 / Math.sqrt(hs));
        Parallel.forRange(sh.batch() * sh.heads(), 1, (from, to) -> {
            float[] vt = new float[hs * tk];
            float[] dp = new float[tk];
            for (int bh = from; bh < to; bh++) {
                int b = bh / sh.heads();
                int h = bh % sh.heads();
                transposeHead(v, b * tk, h * hs, hs, tk, vt);
                for (int t = 0; t < sh.queries(); t++) {
                    int row = (bh * sh.queries() + t) * tk;
                    int limit = sh.visible(t);
                    int oBase = (b * sh.queries() + t) * sh.width() + h * hs;
                    java.util.Arrays.fill(dp, 0, limit, 0f);
                    for (int d = 0; d < hs; d++) {
                        Kernels.axpy(limit, dOut[oBase + d], vt, d * tk, dp, 0);
                    }
                    float dot = 0f;
                    for (int s = 0; s < limit; s++) {
                        dot += probs[row + s] * dp[s];
                    }
                    int qBase = q.at(b * sh.queries() + t) + h * hs;
                    int dqBase = dq.at(b * sh.queries() + t) + h * hs;
                    for (int s = 0; s < limit; s++) {
                        float p = probs[row + s];
                        if (p == 0f) {
                            continue;
                        }
                        Kernels.axpy(hs, p, dOut, oBase, dv.data(), dv.at(b * tk + s) + h * hs);
                        float ds = p * (dp[s] - dot) * scale;
                        Kernels.axpy(hs, ds, k.data(), k.at(b * tk + s) + h * hs, dq.data(), dqBase);
                        Kernels.axpy(hs, ds, q.data(), qBase, dk.data(), dk.at(b * tk + s) + h * hs);
                    }
                }
            }
        });
    }

    /** dst[d·Tk + s] = src row (firstRow + s), column (col + d): one head's keys as (hs, Tk). */
    private static void transposeHead(Rows src, int firstRow, int col, int hs, int tk, float[] dst) {
        for (int s = 0; s < tk; s++) {
            int base = src.at(firstRow + s) + col;
            for (int d = 0; d < hs; d++) {
                dst[d * tk + s] = src.data()[base + d];
            }
        }
    }

    /** Softmax over the visible, unmasked prefix of a score row; masked and invisible entries become 0. */
    private static void maskedSoftmax(float[] scores, int row, int limit, int tk, Shape sh, int b) {
        if (sh.keyValid() == null) {
            Kernels.softmaxInPlace(scores, row, limit);
        } else {
            float max = Float.NEGATIVE_INFINITY;
            for (int s = 0; s < limit; s++) {
                if (!sh.masked(b, s)) {
                    max = Math.max(max, scores[row + s]);
                }
            }
            float sum = 0f;
            for (int s = 0; s < limit; s++) {
                float e = sh.masked(b, s) ? 0f : (float) Math.exp(scores[row + s] - max);
                scores[row + s] = e;
                sum += e;
            }
            float inv = sum > 0f ? 1f / sum : 0f;
            for (int s = 0; s < limit; s++) {
                scores[row + s] *= inv;
            }
        }
        for (int s = limit; s < tk; s++) {
            scores[row + s] = 0f;
        }
    }
}
