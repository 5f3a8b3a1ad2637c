package io.sparklm.optim;

import io.sparklm.nn.Parameters;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019, "Decoupled Weight Decay
 * Regularization", Algorithm 2; Kingma and Ba 2015 for Adam; seeds-digest §14). Per scalar x with
 * gradient g at step t = 1, 2, …:
 * <pre>
 *   x ← x − lr·λ·x                              (only parameters with decay() = true)
 *   m ← β₁m + (1 − β₁)g          v ← β₂v + (1 − β₂)g²
 *   m̂ = m / (1 − β₁ᵗ)            v̂ = v / (1 − β₂ᵗ)
 *   x ← x − lr·m̂ / (√v̂ + ε)
 * </pre>
 * in the order and arithmetic of {@code torch.optim.AdamW}: the decay multiplies x by (1 − lr·λ)
 * before the Adam update, m is updated as m + (1 − β₁)(g − m), and the update is
 * x − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε). The decay is not an L2 term in the loss: a zero
 * gradient still shrinks a decayed weight by exactly (1 − lr·λ).
 *
 * <p>State is the moments m and v, one array per parameter tensor shaped as it (so the update
 * reads x, g, m and v at one index and the JIT vectorises it), and the step count t;
 * {@link #state()} and {@link #load} move it in and out for the workers' state files, and
 * {@link #firstMoment()} and {@link #secondMoment()} give flat copies. The moments are allocated on
 * the first step (or load) and reused, so a step allocates nothing.
 */
public final class AdamW implements Optimizer {
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;
    public static final double DEFAULT_WEIGHT_DECAY = 0.01;

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private float[][] m = new float[0][];
    private float[][] v = new float[0][];
    private long step;

    /** β = (0.9, 0.999), ε = 1e-8, λ = 0.01, as PyTorch. */
    public AdamW() {
        this(DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, DEFAULT_WEIGHT_DECAY);
    }

    /**
     * @param beta1       β₁ in [0, 1)
     * @param beta2       β₂ in [0, 1)
     * @param epsilon     ε &gt; 0
     * @param weightDecay λ ≥ 0 (0 gives plain Adam)
     */
    public AdamW(double beta1, double beta2, double epsilon, double weightDecay) {
        checkBeta("beta1", beta1);
        checkBeta("beta2", beta2);
        if (!(epsilon > 0 && epsilon < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("epsilon must be finite and positive, got " + epsilon);
        }
        if (!(weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("weightDecay must be finite and non-negative, got " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    private static void checkBeta(String name, double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + beta);
        }
    }

    @Override
    public void step(Parameters params, double lr) {
        Optimizer.checkLearningRate(lr);
        if (m.length == 0) {
            m = OptimizerState.zerosLike(params);
            v = OptimizerState.zerosLike(params);
        } else {
            OptimizerState.requireShapedAs("m", m, params);
            OptimizerState.requireShapedAs("v", v, params);
        }
        step++;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float eps = (float) epsilon;
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        float decayed = (float) (1 - lr * weightDecay);
        params.forEachRange((p, from, to, index) -> {
            float[] x = p.value().data;
            float[] g = p.grad().data;
            float[] mp = m[index];
            float[] vp = v[index];
            float keep = p.decay() ? decayed : 1f;
            for (int i = from; i < to; i++) {
                float gi = g[i];
                float mi = mp[i] + oneMinusB1 * (gi - mp[i]);
                float vi = vp[i] * b2 + oneMinusB2 * gi * gi;
                mp[i] = mi;
                vp[i] = vi;
                x[i] = x[i] * keep - stepSize * (mi / ((float) Math.sqrt(vi) / bias2Sqrt + eps));
            }
        });
    }

    /** A copy of m, flat in registration order; empty before the first step or load. */
    public float[] firstMoment() {
        return OptimizerState.flat(m);
    }

    /** A copy of v, flat in registration order; empty before the first step or load. */
    public float[] secondMoment() {
        return OptimizerState.flat(v);
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState(step, java.util.Map.of("m", m, "v", v));
    }

    /** Takes the moments over as they are; the next step checks them against the parameters' shapes. */
    @Override
    public void load(OptimizerState state) {
        float[][] first = state.buffer("m");
        float[][] second = state.buffer("v");
        if (first.length != second.length) {
            throw new IllegalArgumentException("optimizer state m holds " + first.length + " tensors, v holds " + second.length);
        }
        this.m = first;
        this.v = second;
        this.step = state.step();
    }

    /** The number of steps taken, t. */
    public long step() {
        return step;
    }
}
