package io.sparklm.nn;

import io.sparklm.tensor.Blas;
import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Parallel;
import io.sparklm.tensor.StridedRows;

/**
 * Multi-head scaled dot-product attention on projected rows (Vaswani et al., 2017, §3.2):
 * for each head, P = softmax(Q·Kᵀ/√d_k + M) and O = P·V, with d_k the head size and M = −∞ on
 * masked keys (future positions when causal, padding where a key-valid mask says so). A query
 * row whose keys are all masked gets P = 0 and O = 0, not NaN.
 *
 * <p>Q, K and V are strided views ({@link StridedRows}) into the projection outputs, so the fused
 * (B, T, 3C) output of {@code c_attn} needs no split, and each head's products run through BLAS on
 * its columns in place: nothing is gathered or scattered. Backward, with dP = dO·Vᵀ:
 * dV = Pᵀ·dO, dS = P ⊙ (dP − rowsum(P ⊙ dP)), dQ = dS·K/√d_k, dK = dSᵀ·Q/√d_k, each added
 * into its view by the product itself (beta = 1).
 * Heads of different (batch, head) pairs touch disjoint columns and run in parallel.
 */
final class ScaledDotProductAttention {

    /** Sizes and masks of one attention call. */
    record Shape(int batch, int queries, int keys, int heads, int headSize, boolean causal, boolean[] keyValid) {
        int width() {
            return heads * headSize;
        }

        /**
         * Keys visible to query t (a prefix of the key axis). Causal queries are the last Tq positions
         * of the Tk keys: Tq = Tk in self-attention, Tk − Tq cached keys precede them when decoding.
         */
        int visible(int t) {
            return causal ? keys - queries + t + 1 : keys;
        }

        boolean masked(int b, int s) {
            return keyValid != null && !keyValid[b * keys + s];
        }
    }

    private ScaledDotProductAttention() {
    }

    /**
     * S = Q·Kᵀ/√d_k, P = masked softmax(S), O = P·V per (batch, head), the products through BLAS.
     *
     * @param out   (B, Tq, C) output, written
     * @param probs (B, H, Tq, Tk) attention weights, written (kept for backward)
     */
    static void forward(StridedRows q, StridedRows k, StridedRows v, Shape sh, float[] out, float[] probs) {
        int hs = sh.headSize();
        int tq = sh.queries();
        int tk = sh.keys();
        float scale = (float) (1.0 / Math.sqrt(hs));
        StridedRows outRows = StridedRows.dense(out, sh.width());
        Parallel.forRange(sh.batch() * sh.heads(), 1, (from, to) -> {
            for (int bh = from; bh < to; bh++) {
                int b = bh / sh.heads();
                int col = (bh % sh.heads()) * hs;
                StridedRows p = new StridedRows(probs, bh * tq * tk, tk);
                Blas.gemm(false, true, tq, tk, hs, scale, q.shifted(b * tq, col), k.shifted(b * tk, col), 0f, p);
                for (int t = 0; t < tq; t++) {
                    maskedSoftmax(probs, p.at(t), sh.visible(t), tk, sh, b);
                }
                Blas.gemm(false, false, tq, hs, tk, 1f, p, v.shifted(b * tk, col), 0f, outRows.shifted(b * tq, col));
            }
        });
    }

    /**
     * Accumulates dQ, dK, dV (into views of the same strides as Q, K, V) from dO (B, Tq, C):
     * dP = dO·Vᵀ, dV = Pᵀ·dO, dS = P ⊙ (dP − rowsum(P ⊙ dP))/√d_k, dQ = dS·K, dK = dSᵀ·Q.
     */
    static void backward(float[] dOut, float[] probs, StridedRows q, StridedRows k, StridedRows v,
                         StridedRows dq, StridedRows dk, StridedRows dv, Shape sh) {
        int hs = sh.headSize();
        int tq = sh.queries();
        int tk = sh.keys();
        float scale = (float) (1.0 / Math.sqrt(hs));
        StridedRows dOutRows = StridedRows.dense(dOut, sh.width());
        Parallel.forRange(sh.batch() * sh.heads(), 1, (from, to) -> {
            float[] ds = new float[tq * tk];
            StridedRows dsRows = StridedRows.dense(ds, tk);
            for (int bh = from; bh < to; bh++) {
                int b = bh / sh.heads();
                int col = (bh % sh.heads()) * hs;
                int pAt = bh * tq * tk;
                StridedRows p = new StridedRows(probs, pAt, tk);
                StridedRows dO = dOutRows.shifted(b * tq, col);
                Blas.gemm(false, true, tq, tk, hs, 1f, dO, v.shifted(b * tk, col), 0f, dsRows);
                Blas.gemm(true, false, tk, hs, tq, 1f, p, dO, 1f, dv.shifted(b * tk, col));
                for (int t = 0; t < tq; t++) {
                    int row = t * tk;
                    float dot = 0f;
                    for (int s = 0; s < tk; s++) {
                        dot += probs[pAt + row + s] * ds[row + s];
                    }
                    for (int s = 0; s < tk; s++) {
                        ds[row + s] = probs[pAt + row + s] * (ds[row + s] - dot) * scale;
                    }
                }
                Blas.gemm(false, false, tq, hs, tk, 1f, dsRows, k.shifted(b * tk, col), 1f, dq.shifted(b * tq, col));
                Blas.gemm(true, false, tk, hs, tq, 1f, dsRows, q.shifted(b * tq, col), 1f, dk.shifted(b * tk, col));
            }
        });
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
                float e = sh.masked(b, s) ? 0f : Kernels.exp(scores[row + s] - max);
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
