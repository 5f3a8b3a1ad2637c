package io.sparklm.loss;

import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Tensor;

/**
 * The per-token terms of the PPO objective (Schulman et al. 2017, "Proximal Policy Optimization
 * Algorithms", eqs. 7 and 9; seeds-digest §10):
 * <pre>
 *   policy   L = −min(r·A, clip(r, 1−ε, 1+ε)·A),  r = exp(log π_θ − log π_old)
 *            ∂L/∂r = −A where r·A is the smaller term, else 0;   ∂L/∂log π_θ = ∂L/∂r · r
 *   value    L = (V − V_target)², or with clipping c around the old value V_old (OpenAI baselines ppo2):
 *            L = max((V − V_target)², (V_old + clip(V − V_old, −c, c) − V_target)²)
 *   entropy  H(p) = −Σⱼ pⱼ log pⱼ,  from logits ∂H/∂zⱼ = −pⱼ (log pⱼ + H)
 * </pre>
 * Each batch result is the mean over the tokens passed in (pass only response tokens); the total is
 * L_policy + c₁·L_value − c₂·H, assembled by the caller.
 */
public final class Ppo {
    /** The usual clip range ε for the ratio (and c for the value). */
    public static final double DEFAULT_CLIP = 0.2;

    private Ppo() {
    }

    /**
     * Clipped policy loss from probability ratios.
     *
     * @param ratio     N ≥ 1 ratios r = π_θ / π_old, non-negative
     * @param advantage N advantages A
     * @param clip      ε in (0, 1)
     * @return the sum over tokens, weight N, and ∂(mean L)/∂r of shape (N)
     */
    public static LossResult policy(float[] ratio, float[] advantage, double clip) {
        int n = sameLength("ratio", ratio, "advantage", advantage);
        if (!(clip > 0 && clip < 1)) {
            throw new IllegalArgumentException("clip must be in (0, 1), got " + clip);
        }
        Tensor grad = Tensor.zeros(n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double r = ratio[i];
            if (!(r >= 0 && r < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("ratio[" + i + "] must be finite and non-negative, got " + ratio[i]);
            }
            double a = advantage[i];
            double unclipped = r * a;
            double clipped = Math.min(Math.max(r, 1 - clip), 1 + clip) * a;
            sum -= Math.min(unclipped, clipped);
            grad.data[i] = unclipped <= clipped ? (float) (-a / n) : 0f;
        }
        return new LossResult(sum, n, grad);
    }

    /**
     * Clipped policy loss from log-probabilities of the taken actions, with the gradient with respect to
     * the new log-probability (what back-propagates into the policy's logits).
     *
     * @param logProb    N log π_θ(a_t | s_t) under the policy being trained
     * @param oldLogProb N log π_old(a_t | s_t) recorded at rollout
     * @param advantage  N advantages A
     * @param clip       ε in (0, 1)
     * @return the sum over tokens, weight N, and ∂(mean L)/∂log π_θ of shape (N)
     */
    public static LossResult policyFromLogProbs(float[] logProb, float[] oldLogProb, float[] advantage, double clip) {
        int n = sameLength("logProb", logProb, "oldLogProb", oldLogProb);
        float[] ratio = new float[n];
        for (int i = 0; i < n; i++) {
            ratio[i] = (float) Math.exp((double) logProb[i] - oldLogProb[i]);
        }
        LossResult result = policy(ratio, advantage, clip);
        float[] grad = result.grad().data;
        for (int i = 0; i < n; i++) {
            grad[i] *= ratio[i];
        }
        return result;
    }

    /**
     * Squared-error value loss (V − V_target)².
     *
     * @return the sum over tokens, weight N, and ∂(mean L)/∂V of shape (N)
     */
    public static LossResult value(float[] value, float[] target) {
        // With V_old = V the clipped prediction is V itself, so the clipped loss reduces to (V − V_target)².
        return clippedValue(value, value, target, DEFAULT_CLIP);
    }

    /**
     * Value loss clipped around the rollout's value estimate: max((V − V_t)², (V_old + clip(V − V_old, −c, c) − V_t)²).
     *
     * @param value    N ≥ 1 current value predictions V
     * @param oldValue N predictions V_old recorded at rollout
     * @param target   N returns V_target
     * @param clip     c &gt; 0
     * @return the sum over tokens, weight N, and ∂(mean L)/∂V of shape (N)
     */
    public static LossResult clippedValue(float[] value, float[] oldValue, float[] target, double clip) {
        int n = sameLength("value", value, "target", target);
        sameLength("value", value, "oldValue", oldValue);
        if (!(clip > 0)) {
            throw new IllegalArgumentException("value clip must be positive, got " + clip);
        }
        Tensor grad = Tensor.zeros(n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = value[i];
            double old = oldValue[i];
            double error = v - target[i];
            double clippedError = old + Math.min(Math.max(v - old, -clip), clip) - target[i];
            double unclippedLoss = error * error;
            double clippedLoss = clippedError * clippedError;
            sum += Math.max(unclippedLoss, clippedLoss);
            grad.data[i] = unclippedLoss >= clippedLoss ? (float) (2 * error / n) : 0f;
        }
        return new LossResult(sum, n, grad);
    }

    /** Entropy H(p) = −Σⱼ pⱼ log pⱼ of one probability row, with 0·log 0 = 0. */
    public static double entropy(float[] probabilities) {
        double h = 0;
        for (int j = 0; j < probabilities.length; j++) {
            float p = probabilities[j];
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probabilities[" + j + "] must be in [0, 1], got " + p);
            }
            if (p > 0) {
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    /**
     * Entropy of softmax(z) for each row of logits, with its gradient (the entropy bonus's input).
     *
     * @param logits (N, K), or (B, T, K) read as (B·T, K) rows
     * @return Σ of the row entropies, weight N, and ∂(mean H)/∂z of the same shape as {@code logits}
     */
    public static LossResult entropyOfLogits(Tensor logits) {
        int rows = logits.rows();
        int classes = logits.dim(-1);
        float[] z = logits.data;
        Tensor grad = Tensor.zeros(logits.shape());
        float[] g = grad.data;
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            int from = i * classes;
            int to = from + classes;
            double lse = Kernels.logSumExp(z, from, classes);
            double h = Kernels.entropy(z, from, classes, lse);
            sum += h;
            for (int j = from; j < to; j++) {
                double logP = z[j] - lse;
                g[j] = (float) (-Math.exp(logP) * (logP + h) / rows);
            }
        }
        return new LossResult(sum, rows, grad);
    }

    private static int sameLength(String name, float[] values, String otherName, float[] other) {
        if (values.length != other.length || values.length == 0) {
            throw new IllegalArgumentException(name + " and " + otherName + " must hold the same positive number of values, got "
                    + values.length + " and " + other.length);
        }
        return values.length;
    }
}
