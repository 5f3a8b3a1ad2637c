package io.sparklm.loss;

import io.sparklm.tensor.Blas;
import io.sparklm.tensor.Tensor;

/**
 * The symmetric InfoNCE loss of CLIP over N paired embeddings (aᵢ, bᵢ), each pair's negatives
 * being the other N − 1 pairs of the same call:
 * <pre>
 *   s_ij = sim(aᵢ, bⱼ) / τ,   τ = exp(log τ)
 *   L_{a→b} = −(1/N) Σᵢ log softmax_j(s_i·)ᵢ      (row i: which b is aᵢ's)
 *   L_{b→a} = −(1/N) Σⱼ log softmax_i(s_·j)ⱼ      (column j: which a is bⱼ's)
 *   L = ½ (L_{a→b} + L_{b→a})
 * </pre>
 * (van den Oord, Li and Vinyals 2018, "Representation Learning with Contrastive Predictive Coding",
 * eq. 4; Radford et al. 2021, "Learning Transferable Visual Models From Natural Language
 * Supervision", Figure 3; seeds-digest §8). sim is the dot product aᵢ·bⱼ or the cosine âᵢ·b̂ⱼ with
 * â = a/|a|. The temperature is taken as log τ, the form CLIP learns (initialising τ = 0.07 and
 * clamping 1/τ at 100, a clamp left to the caller); a fixed τ simply ignores its gradient. Each
 * log-sum-exp subtracts its row's or column's maximum, so large similarities stay finite.
 *
 * <p>Gradients. With P the row softmax and Q the column softmax of S,
 * <pre>
 *   ∂(N·L)/∂s_ij = G_ij = ½ (P_ij + Q_ij) − δ_ij
 *   ∂(N·L)/∂log τ = −Σ_ij G_ij s_ij
 *   dot:    ∂(N·L)/∂A = (G/τ)·B,   ∂(N·L)/∂B = (G/τ)ᵀ·A
 *   cosine: the same with Â, B̂ in place of A, B, then ∂aᵢ = (∂âᵢ − âᵢ (âᵢ·∂âᵢ)) / |aᵢ| (and so for b)
 * </pre>
 *
 * <p>Normalisation. The result's sum is N·L = ½ (Σᵢ ℓᵢ^{a→b} + Σⱼ ℓⱼ^{b→a}), the sum of the per-row
 * terms of both directions halved, with weight N, so its {@link Result#mean()} is L: this is the
 * digest's "sum form" (a = b = I₂, τ = 1: every row and column term is log(1 + e⁻¹), the sum
 * 2·0.3132616875 = 0.6265233750, L = 0.3132616875). The gradients are those of sum / W for a
 * normaliser W, N by default (the gradient of L). A batch split into parts, each part's pairs
 * contrasted among themselves only, passes the whole batch's ΣN as W to every part: the parts'
 * gradients then add up to that of Σ sum / ΣN, the N-weighted mean of the parts' losses. Negatives
 * are never gathered across parts, threads or executors: a part of n pairs sees n − 1 negatives.
 */
public final class InfoNce implements java.io.Serializable {
    /** How aᵢ and bⱼ are compared. */
    public enum Similarity {
        /** aᵢ·bⱼ. */
        DOT,
        /** aᵢ·bⱼ / (|aᵢ| |bⱼ|), as CLIP compares its normalised image and text features. */
        COSINE
    }

    /**
     * The loss of one call and its gradients.
     *
     * @param sumAToB            Σᵢ ℓᵢ^{a→b} = N·L_{a→b}
     * @param sumBToA            Σⱼ ℓⱼ^{b→a} = N·L_{b→a}
     * @param weight             N, the number of pairs
     * @param gradA              ∂(sum / W)/∂a, (N, D)
     * @param gradB              ∂(sum / W)/∂b, (N, D)
     * @param gradLogTemperature ∂(sum / W)/∂log τ
     */
    public record Result(double sumAToB, double sumBToA, double weight, Tensor gradA, Tensor gradB,
                         double gradLogTemperature) {
        /** N·L = ½ (N·L_{a→b} + N·L_{b→a}), what adds up across batches as {@link LossResult#sum()} does. */
        public double sum() {
            return 0.5 * (sumAToB + sumBToA);
        }

        /** L = sum / N. */
        public double mean() {
            return sum() / weight;
        }
    }

    private final Similarity similarity;

    public InfoNce(Similarity similarity) {
        if (similarity == null) {
            throw new IllegalArgumentException("similarity must be DOT or COSINE, got null");
        }
        this.similarity = similarity;
    }

    public Similarity similarity() {
        return similarity;
    }

    /** The loss with the gradients of the mean L: {@link #compute(Tensor, Tensor, double, double)} with W = N. */
    public Result compute(Tensor a, Tensor b, double logTemperature) {
        return compute(a, b, logTemperature, a.rows());
    }

    /**
     * The loss of N pairs (aᵢ, bᵢ) and the gradients of sum / {@code normaliser}.
     *
     * @param a              (N, D), N ≥ 1
     * @param b              (N, D)
     * @param logTemperature log τ, finite
     * @param normaliser     W &gt; 0: N for the mean of this call, the whole batch's ΣN for a part of it
     */
    public Result compute(Tensor a, Tensor b, double logTemperature, double normaliser) {
        if (a.rank() != 2 || !a.sameShape(b)) {
            throw new IllegalArgumentException("a and b must both be (N, D) embeddings of the same shape, got " + a + " and " + b);
        }
        if (!Double.isFinite(logTemperature)) {
            throw new IllegalArgumentException("logTemperature must be finite, got " + logTemperature);
        }
        if (!(normaliser > 0 && normaliser < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("normaliser must be positive and finite, got " + normaliser);
        }
        int n = a.rows();
        int d = a.dim(1);
        float[] aNorms = similarity == Similarity.COSINE ? norms("a", a) : null;
        float[] bNorms = similarity == Similarity.COSINE ? norms("b", b) : null;
        float[] x = aNorms == null ? a.data : scaledRows(a.data, aNorms, n, d);
        float[] y = bNorms == null ? b.data : scaledRows(b.data, bNorms, n, d);
        float[] sim = new float[n * n];
        Blas.gemm(false, true, n, n, d, 1f, x, y, 0f, sim);

        double inverseTemperature = Math.exp(-logTemperature);
        double[] s = new double[n * n];
        for (int k = 0; k < s.length; k++) {
            s[k] = sim[k] * inverseTemperature;
        }
        double[] g = new double[n * n];
        double sumAToB = softmaxTerms(s, n, n, 1, g);
        double sumBToA = softmaxTerms(s, n, 1, n, g);
        double dLogTemperature = 0;
        float[] dSim = new float[n * n];
        for (int i = 0; i < n; i++) {
            g[i * n + i] -= 1;
        }
        for (int k = 0; k < g.length; k++) {
            dLogTemperature -= g[k] * s[k];
            dSim[k] = (float) (g[k] * inverseTemperature / normaliser);
        }
        Tensor gradA = Tensor.zeros(n, d);
        Tensor gradB = Tensor.zeros(n, d);
        Blas.gemm(false, false, n, d, n, 1f, dSim, y, 0f, gradA.data);
        Blas.gemm(true, false, n, d, n, 1f, dSim, x, 0f, gradB.data);
        if (similarity == Similarity.COSINE) {
            throughNormalisation(gradA.data, x, aNorms, n, d);
            throughNormalisation(gradB.data, y, bNorms, n, d);
        }
        return new Result(sumAToB, sumBToA, n, gradA, gradB, dLogTemperature / normaliser);
    }

    /**
     * Σ over the n lines of S (rows: line stride n, entry stride 1; columns: 1 and n) of
     * −log softmax(line)[diagonal], adding ½·softmax(line) into {@code g} at the same places.
     */
    private static double softmaxTerms(double[] s, int n, int lineStride, int entryStride, double[] g) {
        double sum = 0;
        for (int line = 0; line < n; line++) {
            int first = line * lineStride;
            double max = Double.NEGATIVE_INFINITY;
            for (int e = 0; e < n; e++) {
                max = Math.max(max, s[first + e * entryStride]);
            }
            double expSum = 0;
            for (int e = 0; e < n; e++) {
                expSum += Math.exp(s[first + e * entryStride] - max);
            }
            double lse = max + Math.log(expSum);
            sum += lse - s[first + line * entryStride];
            for (int e = 0; e < n; e++) {
                int k = first + e * entryStride;
                g[k] += 0.5 * Math.exp(s[k] - lse);
            }
        }
        return sum;
    }

    /**
     * sim(aᵢ, bⱼ) for every pair of rows of (N, D) a and (M, D) b, as the loss compares them: an
     * (N, M) row-major array of dot products, of unit vectors when the similarity is cosine.
     */
    public float[] similarities(Tensor a, Tensor b) {
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(1)) {
            throw new IllegalArgumentException("a and b must be (N, D) and (M, D) embeddings, got " + a + " and " + b);
        }
        int d = a.dim(1);
        float[] x = similarity == Similarity.COSINE ? scaledRows(a.data, norms("a", a), a.rows(), d) : a.data;
        float[] y = similarity == Similarity.COSINE ? scaledRows(b.data, norms("b", b), b.rows(), d) : b.data;
        float[] sim = new float[a.rows() * b.rows()];
        Blas.gemm(false, true, a.rows(), b.rows(), d, 1f, x, y, 0f, sim);
        return sim;
    }

    /** |rowᵢ| of an (N, D) tensor, each required positive: the cosine of a zero vector is undefined. */
    private static float[] norms(String name, Tensor t) {
        int d = t.dim(1);
        float[] norms = new float[t.rows()];
        for (int i = 0; i < norms.length; i++) {
            double sq = 0;
            for (int k = i * d; k < (i + 1) * d; k++) {
                sq += (double) t.data[k] * t.data[k];
            }
            norms[i] = (float) Math.sqrt(sq);
            if (!(norms[i] > 0 && norms[i] < Float.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(name + " row " + i + " has norm " + norms[i]
                        + ": its cosine similarity is undefined; drop the row or use Similarity.DOT");
            }
        }
        return norms;
    }

    /** The rows of an (N, D) array each divided by its norm, in a new array. */
    private static float[] scaledRows(float[] rows, float[] norms, int n, int d) {
        float[] unit = new float[n * d];
        for (int i = 0; i < n; i++) {
            float inverse = 1f / norms[i];
            for (int k = i * d; k < (i + 1) * d; k++) {
                unit[k] = rows[k] * inverse;
            }
        }
        return unit;
    }

    /** In place ∂âᵢ → ∂aᵢ = (∂âᵢ − âᵢ (âᵢ·∂âᵢ)) / |aᵢ|, the backward of â = a/|a|. */
    private static void throughNormalisation(float[] grad, float[] unit, float[] norms, int n, int d) {
        for (int i = 0; i < n; i++) {
            double along = 0;
            for (int k = i * d; k < (i + 1) * d; k++) {
                along += (double) unit[k] * grad[k];
            }
            float inverse = 1f / norms[i];
            for (int k = i * d; k < (i + 1) * d; k++) {
                grad[k] = (float) ((grad[k] - unit[k] * along) * inverse);
            }
        }
    }
}
