package io.sparklm.nn;

import io.sparklm.tensor.Blas;
import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Parallel;

/**
 * Multi-head scaled dot-product attention on projected rows (Vaswani et al., 2017, §3.2):
 * for each head, P = softmax(Q·Kᵀ/√d_k + M) and O = P·V, with d_k the head size and M = −∞ on
 * masked keys (future positions when causal, padding where a key-valid mask says so). A query
 * row whose keys are all masked gets P = 0 and O = 0, not NaN.
 *
 * <p>Q, K and V are read as strided views ({@link Rows}) into the projection outputs, so the fused
 * (B, T, 3C) output of {@code c_attn} needs no split; each head is gathered into contiguous
 * arrays and its four products run through BLAS. Backward, with dP = dO·Vᵀ:
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

    /** One head's operands gathered into contiguous arrays, reused across the heads of a thread. */
    private static final class HeadScratch {
        final float[] q;
        final float[] k;
        final float[] v;
        final float[] o;
        final float[] p;
        final float[] dp;
        final float[] dk;
        final float[] dv;

        HeadScratch(Shape sh) {
            int hs = sh.headSize();
            q = new float[sh.queries() * hs];
            k = new float[sh.keys() * hs];
            v = new float[sh.keys() * hs];
            o = new float[sh.queries() * hs];
            p = new float[sh.queries() * sh.keys()];
            dp = new float[sh.queries() * sh.keys()];
            dk = new float[sh.keys() * hs];
            dv = new float[sh.keys() * hs];
        }

        /** Gathers batch b's Q, K and V columns [col, col + hs) of one head. */
        void load(Rows qRows, Rows kRows, Rows vRows, int b, int col, Shape sh) {
            gather(qRows, b * sh.queries(), col, sh.queries(), sh.headSize(), q);
            gather(kRows, b * sh.keys(), col, sh.keys(), sh.headSize(), k);
            gather(vRows, b * sh.keys(), col, sh.keys(), sh.headSize(), v);
        }
    }

    /**
     * S = Q·Kᵀ/√d_k, P = masked softmax(S), O = P·V per (batch, head), the products through BLAS.
     *
     * @param out   (B, Tq, C) output, written
     * @param probs (B, H, Tq, Tk) attention weights, written (kept for backward)
     */
    static void forward(Rows q, Rows k, Rows v, Shape sh, float[] out, float[] probs) {
        int hs = sh.headSize();
        int tq = sh.queries();
        int tk = sh.keys();
        float scale = (float) (1.0 / Math.sqrt(hs));
        Parallel.forRange(sh.batch() * sh.heads(), 1, (from, to) -> {
            HeadScratch w = new HeadScratch(sh);
            for (int bh = from; bh < to; bh++) {
                int b = bh / sh.heads();
                int col = (bh % sh.heads()) * hs;
                w.load(q, k, v, b, col, sh);
                Blas.gemm(false, true, tq, tk, hs, scale, w.q, w.k, 0f, w.p);
                for (int t = 0; t < tq; t++) {
                    maskedSoftmax(w.p, t * tk, sh.visible(t), tk, sh, b);
                }
                Blas.gemm(false, false, tq, hs, tk, 1f, w.p, w.v, 0f, w.o);
                System.arraycopy(w.p, 0, probs, bh * tq * tk, tq * tk);
                scatter(w.o, new Rows(out, 0, sh.width()), b * tq, col, tq, hs, false);
            }
        });
    }

    /**
     * Accumulates dQ, dK, dV (into views of the same strides as Q, K, V) from dO (B, Tq, C):
     * dP = dO·Vᵀ, dV = Pᵀ·dO, dS = P ⊙ (dP − rowsum(P ⊙ dP))/√d_k, dQ = dS·K, dK = dSᵀ·Q.
     */
    static void backward(float[] dOut, float[] probs, Rows q, Rows k, Rows v, Rows dq, Rows dk, Rows dv, Shape sh) {
        int hs = sh.headSize();
        int tq = sh.queries();
        int tk = sh.keys();
        float scale = (float) (1.0 / Math.sqrt(hs));
        Rows dOutRows = new Rows(dOut, 0, sh.width());
        Parallel.forRange(sh.batch() * sh.heads(), 1, (from, to) -> {
            HeadScratch w = new HeadScratch(sh);
            for (int bh = from; bh < to; bh++) {
                int b = bh / sh.heads();
                int col = (bh % sh.heads()) * hs;
                w.load(q, k, v, b, col, sh);
                gather(dOutRows, b * tq, col, tq, hs, w.o);
                System.arraycopy(probs, bh * tq * tk, w.p, 0, tq * tk);
                Blas.gemm(false, true, tq, tk, hs, 1f, w.o, w.v, 0f, w.dp);
                Blas.gemm(true, false, tk, hs, tq, 1f, w.p, w.o, 0f, w.dv);
                for (int t = 0; t < tq; t++) {
                    int row = t * tk;
                    float dot = 0f;
                    for (int s = 0; s < tk; s++) {
                        dot += w.p[row + s] * w.dp[row + s];
                    }
                    for (int s = 0; s < tk; s++) {
                        w.dp[row + s] = w.p[row + s] * (w.dp[row + s] - dot) * scale;
                    }
                }
                Blas.gemm(false, false, tq, hs, tk, 1f, w.dp, w.k, 0f, w.o);
                Blas.gemm(true, false, tk, hs, tq, 1f, w.dp, w.q, 0f, w.dk);
                scatter(w.o, dq, b * tq, col, tq, hs, true);
                scatter(w.dk, dk, b * tk, col, tk, hs, true);
                scatter(w.dv, dv, b * tk, col, tk, hs, true);
            }
        });
    }

    /** dst (rows × hs) = the hs columns from {@code col} of rows firstRow… of {@code src}. */
    private static void gather(Rows src, int firstRow, int col, int rows, int hs, float[] dst) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src.data(), src.at(firstRow + r) + col, dst, r * hs, hs);
        }
    }

    /** Writes (or adds) a (rows × hs) block into columns from {@code col} of rows firstRow… of {@code dst}. */
    private static void scatter(float[] src, Rows dst, int firstRow, int col, int rows, int hs, boolean add) {
        for (int r = 0; r < rows; r++) {
            int base = dst.at(firstRow + r) + col;
            if (add) {
                Kernels.axpy(hs, 1f, src, r * hs, dst.data(), base);
            } else {
                System.arraycopy(src, r * hs, dst.data(), base, hs);
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
