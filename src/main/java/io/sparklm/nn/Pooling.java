package io.sparklm.nn;

import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Tensor;
import java.util.Arrays;

/**
 * Pooling over time: hidden states h (B, T, C) → one vector per sequence (B, C), reading only the
 * positions a key-valid mask marks as real tokens (seeds-digest §15: a sequence classifier pools
 * before its head, it does not predict once per time step).
 *
 * <p>Every kind is a weighted sum c_b = Σ_t α_bt h_bt over sequence b's positions:
 * <ul>
 *   <li>{@link Kind#ATTENTION}: α_b = softmax_t(vᵀ tanh(W h_bt + b)) over the valid positions, 0 at
 *       padding (Yang et al. 2016, "Hierarchical Attention Networks for Document Classification",
 *       eqs. 5–7, v being their context vector u_w);</li>
 *   <li>{@link Kind#CLS}: α_b0 = 1, the state at position 0 where [CLS] sits, whatever the mask says
 *       (Devlin et al. 2019, BERT §3);</li>
 *   <li>{@link Kind#MEAN}: α_bt = 1/n_b at the n_b valid positions;</li>
 *   <li>{@link Kind#LAST}: α_bt = 1 at the last valid position, the last non-pad token where a
 *       reward model reads r(x, y) (Ouyang et al. 2022; seeds-digest §9).</li>
 * </ul>
 * A sequence with no valid position pools to zeros (except CLS). Backward: ∂h_bt = α_bt ∂c_b, plus
 * for attention, with u_bt = tanh(W h_bt + b), e_bt = v·u_bt and ∂α_bt = ∂c_b·h_bt:
 * <pre>
 *   ∂e_bt = α_bt (∂α_bt − Σ_s α_bs ∂α_bs)        (softmax backward)
 *   ∂v += Σ_bt ∂e_bt u_bt        ∂z_bt = ∂e_bt v ⊙ (1 − u_bt²)
 *   ∂W, ∂b, ∂h += the {@link Linear} backward of z = h·W + b at ∂z
 * </pre>
 *
 * <p>Attention parameters, registered under {@code name}: {@code name.weight} W [C, C] (stored
 * [in, out] as {@link Linear}'s, so the projection is h·W + b), {@code name.bias} b [C] and
 * {@code name.context} v [C]. All start at zero; the caller initialises W (GPT-2's N(0, 0.02) for
 * matrices, as {@code Gpt} does for every decayed parameter). With W = 0 and b = 0 every gradient
 * is zero and attention pooling stays mean pooling for good; v = 0 with a random W starts as mean
 * pooling and learns.
 */
public final class Pooling implements Layer {
    /** How the weights α over time are chosen. */
    public enum Kind {
        /** Learned: α = softmax(vᵀ tanh(W h_t + b)) over valid positions. */
        ATTENTION,
        /** Position 0. */
        CLS,
        /** The mean over valid positions. */
        MEAN,
        /** The last valid position. */
        LAST
    }

    private final Kind kind;
    private final int width;
    private final Linear projection;
    private final Parameter context;

    public Pooling(Parameters params, String name, int width, Kind kind) {
        if (kind == null) {
            throw new IllegalArgumentException("pooling " + name + " needs a kind (ATTENTION, CLS, MEAN or LAST), got null");
        }
        this.kind = kind;
        this.width = width;
        this.projection = kind == Kind.ATTENTION ? new Linear(params, name, width, width, true) : null;
        this.context = kind == Kind.ATTENTION ? params.add(name + ".context", false, width) : null;
    }

    /** Pools with the pass's key-valid mask {@link Cache#keyValid()}: {@link #forward(Tensor, boolean[], Cache)}. */
    @Override
    public Tensor forward(Tensor h, Cache cache) {
        return forward(h, cache.keyValid(), cache);
    }

    /**
     * @param h     (B, T, C) hidden states
     * @param valid (B·T) true at real tokens, false at padding; null: all are real
     * @return (B, C) pooled states, in the cache's buffer
     */
    public Tensor forward(Tensor h, boolean[] valid, Cache cache) {
        if (h.rank() != 3 || h.dim(2) != width) {
            throw new IllegalArgumentException(kind + " pooling expects (B, T, " + width + ") hidden states, got " + h);
        }
        int batch = h.dim(0);
        int time = h.dim(1);
        if (valid != null && valid.length != batch * time) {
            throw new IllegalArgumentException("valid has " + valid.length + " entries, hidden states " + h + " have B·T = " + batch * time);
        }
        float[] alpha = cache.floats("alpha", batch * time);
        if (kind == Kind.ATTENTION) {
            attentionWeights(h, valid, alpha, cache);
        } else {
            fixedWeights(valid, batch, time, alpha);
        }
        Tensor pooled = cache.zeros("pooled", batch, width);
        for (int bt = 0; bt < batch * time; bt++) {
            if (alpha[bt] != 0f) {
                Kernels.axpy(width, alpha[bt], h.data, bt * width, pooled.data, (bt / time) * width);
            }
        }
        cache.put("h", h);
        cache.put("alpha", alpha);
        return pooled;
    }

    /** α of CLS, MEAN and LAST, which depend on the mask only. */
    private void fixedWeights(boolean[] valid, int batch, int time, float[] alpha) {
        Arrays.fill(alpha, 0f);
        for (int b = 0; b < batch; b++) {
            int first = b * time;
            if (kind == Kind.CLS) {
                alpha[first] = 1f;
                continue;
            }
            int count = 0;
            int last = -1;
            for (int t = first; t < first + time; t++) {
                if (valid == null || valid[t]) {
                    count++;
                    last = t;
                }
            }
            if (count == 0) {
                continue;
            }
            if (kind == Kind.LAST) {
                alpha[last] = 1f;
                continue;
            }
            for (int t = first; t < first + time; t++) {
                alpha[t] = valid == null || valid[t] ? 1f / count : 0f;
            }
        }
    }

    /** α = softmax over valid t of v·tanh(h_t·W + b), max-subtracted; keeps u = tanh(h·W + b). */
    private void attentionWeights(Tensor h, boolean[] valid, float[] alpha, Cache cache) {
        int time = h.dim(1);
        Tensor z = projection.forward(h, cache.child("projection"));
        Tensor u = cache.tensor("u", h.shape());
        float[] v = context.value().data;
        double[] scores = new double[time];
        for (int first = 0; first < alpha.length; first += time) {
            double max = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < time; t++) {
                int row = (first + t) * width;
                double e = 0;
                for (int c = 0; c < width; c++) {
                    u.data[row + c] = Kernels.tanh(z.data[row + c]);
                    e += (double) v[c] * u.data[row + c];
                }
                scores[t] = e;
                if (valid == null || valid[first + t]) {
                    max = Math.max(max, e);
                }
            }
            double expSum = 0;
            for (int t = 0; t < time; t++) {
                scores[t] = valid == null || valid[first + t] ? Math.exp(scores[t] - max) : 0;
                expSum += scores[t];
            }
            for (int t = 0; t < time; t++) {
                alpha[first + t] = expSum == 0 ? 0f : (float) (scores[t] / expSum);
            }
        }
        cache.put("u", u);
    }

    /**
     * @param dPooled (B, C) ∂L/∂pooled
     * @return (B, T, C) ∂L/∂h; ∂L/∂W, ∂L/∂b, ∂L/∂v are added to the parameters' gradients
     */
    @Override
    public Tensor backward(Tensor dPooled, Cache cache) {
        Tensor h = cache.get("h");
        float[] alpha = cache.get("alpha");
        int time = h.dim(1);
        Tensor dh = cache.gradientZeros("dh", h.shape());
        for (int bt = 0; bt < alpha.length; bt++) {
            if (alpha[bt] != 0f) {
                Kernels.axpy(width, alpha[bt], dPooled.data, (bt / time) * width, dh.data, bt * width);
            }
        }
        if (kind == Kind.ATTENTION) {
            dh.addInPlace(attentionBackward(h, alpha, dPooled, cache));
        }
        return dh;
    }

    /** The gradient through the weights α: adds ∂v, and ∂W, ∂b by the projection; returns its ∂h. */
    private Tensor attentionBackward(Tensor h, float[] alpha, Tensor dPooled, Cache cache) {
        int time = h.dim(1);
        Tensor u = cache.get("u");
        float[] v = context.value().data;
        float[] dv = context.grad().data;
        Tensor dz = cache.gradient("dz", h.shape());
        double[] dAlpha = new double[time];
        for (int first = 0; first < alpha.length; first += time) {
            int pooledRow = (first / time) * width;
            double weighted = 0;
            for (int t = 0; t < time; t++) {
                int row = (first + t) * width;
                double d = 0;
                for (int c = 0; c < width; c++) {
                    d += (double) dPooled.data[pooledRow + c] * h.data[row + c];
                }
                dAlpha[t] = d;
                weighted += alpha[first + t] * d;
            }
            for (int t = 0; t < time; t++) {
                int row = (first + t) * width;
                float de = (float) (alpha[first + t] * (dAlpha[t] - weighted));
                for (int c = 0; c < width; c++) {
                    float uc = u.data[row + c];
                    dv[c] += de * uc;
                    dz.data[row + c] = de * v[c] * (1f - uc * uc);
                }
            }
        }
        return projection.backward(dz, cache.child("projection"));
    }
}
