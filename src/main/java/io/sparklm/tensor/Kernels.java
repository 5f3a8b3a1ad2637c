package io.sparklm.tensor;

/**
 * Element-wise and row-wise kernels over float arrays, each forward beside its backward.
 *
 * <p>Rows are contiguous: a (N, C) input is N rows of C floats. Loops are written so the JIT can
 * vectorise their inner loop; statistics accumulate in float as GPT-2's reference kernels do.
 */
public final class Kernels {
    /** √(2/π), the constant of the tanh approximation of GELU. */
    private static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);
    private static final float GELU_CUBIC = 0.044715f;
    /** Beyond ±TANH_CLAMP, tanh(x) rounds to ±1 in float. */
    private static final float TANH_CLAMP = 7.90531110763549805f;

    private Kernels() {
    }

    /**
     * tanh(x) for floats by the rational minimax approximation x·P(x²)/Q(x²) of Eigen's
     * {@code generic_fast_tanh_float} (max error a few ulp on [−7.9, 7.9], ±1 beyond).
     */
    public static float tanh(float x) {
        float c = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));
        float x2 = c * c;
        float p = -2.76076847742355e-16f;
        p = p * x2 + 2.00018790482477e-13f;
        p = p * x2 + -8.60467152213735e-11f;
        p = p * x2 + 5.12229709037114e-08f;
        p = p * x2 + 1.48572235717979e-05f;
        p = p * x2 + 6.37261928875436e-04f;
        p = p * x2 + 4.89352455891786e-03f;
        p = p * c;
        float q = 1.19825839466702e-06f;
        q = q * x2 + 1.18534705686654e-04f;
        q = q * x2 + 2.26843463243900e-03f;
        q = q * x2 + 4.89352518554385e-03f;
        return p / q;
    }

    /** Where {@link #exp} hands over to {@link Math#exp}: below, e^x is under the smallest normal float; above, near its largest. */
    private static final float EXP_LOW = -87.3f;
    private static final float EXP_HIGH = 88.3f;
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 = LN2_HI + LN2_LO, LN2_HI with few enough bits that n·LN2_HI is exact for |n| ≤ 128. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2²³: adding it rounds a float of magnitude below 2²² to an integer in the low bits of the sum. */
    private static final float ROUNDER = 12582912f;

    /**
     * e^x in float, three times as fast as {@link Math#exp} here (9 against 27 ns): with
     * n = round(x·log₂e) and r = x − n·ln 2 (Cody–Waite: ln 2 in two parts, so r is exact to a few
     * ulp, |r| ≤ ½ln 2), e^x = 2ⁿ·e^r with e^r = 1 + r + r²·P(r), P the degree-5 minimax polynomial of
     * Cephes' {@code expf}, and 2ⁿ built from its exponent bits. Relative error below 1e-7 (a float
     * ulp) on [−87.3, 88.3]; outside it (underflow, overflow, NaN) the result is {@link Math#exp}'s.
     */
    public static float exp(float x) {
        if (!(x >= EXP_LOW && x <= EXP_HIGH)) {
            return (float) Math.exp(x);
        }
        float shifted = x * LOG2E + ROUNDER;
        int n = Float.floatToRawIntBits(shifted) - Float.floatToRawIntBits(ROUNDER);
        float nf = shifted - ROUNDER;
        float r = x - nf * LN2_HI - nf * LN2_LO;
        float p = 1.9875691500e-4f;
        p = p * r + 1.3981999507e-3f;
        p = p * r + 8.3334519073e-3f;
        p = p * r + 4.1665795894e-2f;
        p = p * r + 1.6666665459e-1f;
        p = p * r + 5.0000001201e-1f;
        float er = p * r * r + r + 1f;
        return er * Float.intBitsToFloat((n + 127) << 23);
    }

    /**
     * GELU, tanh form (GPT-2, BERT): gelu(x) = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³)
     * (Hendrycks and Gimpel, "Gaussian Error Linear Units", 2016), and its derivative
     * gelu'(x) = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²), computed together so the
     * backward pass is one multiply. Two passes (tanh u first, kept in {@code out}) because the
     * JIT vectorises each of them and not their fusion. {@code derivative} may be {@code x} itself:
     * each x[i] is read before derivative[i] is written.
     */
    public static void geluForward(float[] x, float[] out, float[] derivative, int n) {
        Parallel.forRange(n, ELEMENTS_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = x[i];
                out[i] = tanh(GELU_SCALE * (v + GELU_CUBIC * v * v * v));
            }
            for (int i = from; i < to; i++) {
                float v = x[i];
                float th = out[i];
                out[i] = 0.5f * v * (1f + th);
                derivative[i] = 0.5f * (1f + th) + 0.5f * v * (1f - th * th) * GELU_SCALE * (1f + 3f * GELU_CUBIC * v * v);
            }
        });
    }

    /** ReLU: out = max(0, x), derivative [x > 0]; {@code derivative} may be {@code x} itself. */
    public static void reluForward(float[] x, float[] out, float[] derivative, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(0f, x[i]);
            derivative[i] = x[i] > 0f ? 1f : 0f;
        }
    }

    /** dx = dout ⊙ derivative, the backward pass of an element-wise function. */
    public static void multiply(float[] dout, float[] derivative, float[] dx, int n) {
        Parallel.forRange(n, ELEMENTS_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                dx[i] = dout[i] * derivative[i];
            }
        });
    }

    /**
     * LayerNorm over the last axis: y = (x − μ)/√(σ² + ε) · γ + β with the biased variance σ².
     * Ba, Kiros and Hinton, "Layer Normalization", 2016. Saves μ and 1/√(σ²+ε) per row.
     *
     * @param x (N, C)
     */
    public static void layerNormForward(float[] x, float[] gamma, float[] beta, float[] out,
                                        float[] mean, float[] rstd, int n, int c, float eps) {
        Parallel.forRange(n, 64, (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * c;
                float m = sum(x, base, c) / c;
                float var = squaredDeviations(x, base, c, m);
                float s = (float) (1.0 / Math.sqrt(var / c + eps));
                for (int i = 0; i < c; i++) {
                    out[base + i] = (x[base + i] - m) * s * gamma[i] + beta[i];
                }
                mean[r] = m;
                rstd[r] = s;
            }
        });
    }

    /**
     * LayerNorm backward. With x̂ = (x − μ)·rstd and g = dout·γ:
     * dx += rstd · (g − mean(g) − x̂ · mean(g·x̂)); dγ += Σ_rows dout·x̂; dβ += Σ_rows dout.
     * dx is split over threads by rows, dγ and dβ by columns, each column summed in row order, so
     * the result does not depend on the thread count.
     */
    public static void layerNormBackward(float[] dout, float[] x, float[] mean, float[] rstd, float[] gamma,
                                         float[] dx, float[] dgamma, float[] dbeta, int n, int c) {
        Parallel.forRange(n, rowsPerThread(c), (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * c;
                float m = mean[r];
                float s = rstd[r];
                float g0 = 0f, g1 = 0f, g2 = 0f, g3 = 0f;
                float gx0 = 0f, gx1 = 0f, gx2 = 0f, gx3 = 0f;
                int i = 0;
                for (; i + 4 <= c; i += 4) {
                    int k = base + i;
                    float ga = dout[k] * gamma[i];
                    float gb = dout[k + 1] * gamma[i + 1];
                    float gc = dout[k + 2] * gamma[i + 2];
                    float gd = dout[k + 3] * gamma[i + 3];
                    g0 += ga;
                    g1 += gb;
                    g2 += gc;
                    g3 += gd;
                    gx0 += ga * ((x[k] - m) * s);
                    gx1 += gb * ((x[k + 1] - m) * s);
                    gx2 += gc * ((x[k + 2] - m) * s);
                    gx3 += gd * ((x[k + 3] - m) * s);
                }
                float gMean = (g0 + g1) + (g2 + g3);
                float gxMean = (gx0 + gx1) + (gx2 + gx3);
                for (; i < c; i++) {
                    float g = dout[base + i] * gamma[i];
                    gMean += g;
                    gxMean += g * ((x[base + i] - m) * s);
                }
                gMean /= c;
                gxMean /= c;
                for (int j = 0; j < c; j++) {
                    float xhat = (x[base + j] - m) * s;
                    float g = dout[base + j] * gamma[j];
                    dx[base + j] += s * (g - gMean - xhat * gxMean);
                }
            }
        });
        Parallel.forRange(c, rowsPerThread(n), (from, to) -> {
            for (int r = 0; r < n; r++) {
                int base = r * c;
                float m = mean[r];
                float s = rstd[r];
                for (int i = from; i < to; i++) {
                    float xhat = (x[base + i] - m) * s;
                    dgamma[i] += dout[base + i] * xhat;
                    dbeta[i] += dout[base + i];
                }
            }
        });
    }

    /**
     * Σ a[from, from + len) in float, element i added into running sum i mod 8 and the eight sums
     * added pairwise at the end: eight additions in flight instead of one chain of len dependent
     * ones (LayerNorm forward on 768 rows of 128, one thread: 3.0 → 1.9 ns an element).
     */
    static float sum(float[] a, int from, int len) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            int k = from + i;
            s0 += a[k];
            s1 += a[k + 1];
            s2 += a[k + 2];
            s3 += a[k + 3];
            s4 += a[k + 4];
            s5 += a[k + 5];
            s6 += a[k + 6];
            s7 += a[k + 7];
        }
        float total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; i < len; i++) {
            total += a[from + i];
        }
        return total;
    }

    /** Σ (a[j] − m)² over [from, from + len), summed as {@link #sum} sums. */
    static float squaredDeviations(float[] a, int from, int len, float m) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            int k = from + i;
            float d0 = a[k] - m;
            float d1 = a[k + 1] - m;
            float d2 = a[k + 2] - m;
            float d3 = a[k + 3] - m;
            float d4 = a[k + 4] - m;
            float d5 = a[k + 5] - m;
            float d6 = a[k + 6] - m;
            float d7 = a[k + 7] - m;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
            s4 += d4 * d4;
            s5 += d5 * d5;
            s6 += d6 * d6;
            s7 += d7 * d7;
        }
        float total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; i < len; i++) {
            float d = a[from + i] - m;
            total += d * d;
        }
        return total;
    }

    /**
     * Softmax of each row in place over its first {@code len} entries, max-subtracted:
     * softmax(z)ᵢ = exp(zᵢ − max z) / Σⱼ exp(zⱼ − max z), the exponential by {@link #exp}.
     */
    public static void softmaxInPlace(float[] z, int offset, int len) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            max = Math.max(max, z[offset + i]);
        }
        float sum = 0f;
        for (int i = 0; i < len; i++) {
            float e = exp(z[offset + i] - max);
            z[offset + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = 0; i < len; i++) {
            z[offset + i] *= inv;
        }
    }

    /** logsumexp(z[from, from + len)) = max + log Σ exp(zⱼ − max), the sum in double. */
    public static double logSumExp(float[] z, int from, int len) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = from; j < from + len; j++) {
            max = Math.max(max, z[j]);
        }
        double sum = 0;
        for (int j = from; j < from + len; j++) {
            sum += Math.exp(z[j] - max);
        }
        return max + Math.log(sum);
    }

    /** H = −Σⱼ pⱼ log pⱼ of softmax(z[from, from + len)), given its {@code lse} = {@link #logSumExp}. */
    public static double entropy(float[] z, int from, int len, double lse) {
        double h = 0;
        for (int j = from; j < from + len; j++) {
            double logP = z[j] - lse;
            h -= Math.exp(logP) * logP;
        }
        return h;
    }

    /** y += a · x over n entries starting at the given offsets. */
    public static void axpy(int n, float a, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    /**
     * Adds {@code bias} (C) to each of the N rows of {@code out}, each row through a buffer indexed
     * like the bias, as {@link #sumRows} does (0.65 → 0.45 ns an element here).
     */
    public static void addBias(float[] out, float[] bias, int n, int c) {
        Parallel.forRange(n, rowsPerThread(c), (from, to) -> {
            float[] row = new float[c];
            for (int r = from; r < to; r++) {
                System.arraycopy(out, r * c, row, 0, c);
                for (int i = 0; i < c; i++) {
                    row[i] += bias[i];
                }
                System.arraycopy(row, 0, out, r * c, c);
            }
        });
    }

    /**
     * dbias += Σ_rows dout, for (N, C) dout: split over threads by columns, each summed in row order.
     * Each row's piece is copied to a buffer indexed like the running sums first: the JIT vectorises
     * a loop only when its arrays share one index, and dout's carries the row's offset (0.65 → 0.38
     * ns an element here).
     */
    public static void sumRows(float[] dout, float[] dbias, int n, int c) {
        Parallel.forRange(c, rowsPerThread(n), (from, to) -> {
            int w = to - from;
            float[] sums = java.util.Arrays.copyOfRange(dbias, from, to);
            float[] row = new float[w];
            for (int r = 0; r < n; r++) {
                System.arraycopy(dout, r * c + from, row, 0, w);
                for (int i = 0; i < w; i++) {
                    sums[i] += row[i];
                }
            }
            System.arraycopy(sums, 0, dbias, from, w);
        });
    }

    /** Every row of (N, C) {@code out} = {@code row}: the bias a product with β = 1 then adds to. */
    public static void fillRows(float[] row, float[] out, int n, int c) {
        Parallel.forRange(n, rowsPerThread(c), (from, to) -> {
            for (int r = from; r < to; r++) {
                System.arraycopy(row, 0, out, r * c, c);
            }
        });
    }

    /** Elements a loop thread takes at the least: below this a kernel runs on the calling thread. */
    private static final int ELEMENTS_PER_THREAD = 1 << 15;

    /** Rows (or columns) of {@code length} entries a loop thread takes at the least. */
    private static int rowsPerThread(int length) {
        return Math.max(1, ELEMENTS_PER_THREAD / Math.max(1, length));
    }
}
