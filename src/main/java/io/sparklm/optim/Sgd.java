package io.sparklm.optim;

import io.sparklm.nn.Parameter;
import io.sparklm.nn.Parameters;

/**
 * Stochastic gradient descent, optionally with heavy-ball momentum μ (Polyak 1964) and L2 weight
 * decay λ, as {@code torch.optim.SGD} (dampening 0, no Nesterov; seeds-digest §14):
 * <pre>
 *   g ← g + λx                  (only parameters with decay() = true)
 *   μ = 0:  x ← x − lr·g
 *   μ &gt; 0:  v ← μv + g;  x ← x − lr·v
 * </pre>
 * The velocity v is a flat float vector in {@link Parameters} registration order, allocated on the
 * first step and reused.
 */
public final class Sgd implements Optimizer {
    private final double momentum;
    private final double weightDecay;
    private float[] velocity = new float[0];
    private long step;

    /** Plain gradient descent: no momentum, no weight decay. */
    public Sgd() {
        this(0, 0);
    }

    /**
     * @param momentum    μ in [0, 1); 0 is plain gradient descent
     * @param weightDecay λ ≥ 0, added to the gradient as λx
     */
    public Sgd(double momentum, double weightDecay) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("weightDecay must be finite and non-negative, got " + weightDecay);
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(Parameters params, double lr) {
        Optimizer.checkLearningRate(lr);
        int count = Math.toIntExact(params.count());
        if (momentum != 0 && velocity.length != count) {
            if (velocity.length != 0) {
                throw new IllegalArgumentException("optimizer state holds " + velocity.length + " velocities, parameters have " + count);
            }
            velocity = new float[count];
        }
        step++;
        float rate = (float) lr;
        float mu = (float) momentum;
        int at = 0;
        for (Parameter p : params.all()) {
            float[] x = p.value().data;
            float[] g = p.grad().data;
            float decay = p.decay() ? (float) weightDecay : 0f;
            if (momentum == 0) {
                for (int i = 0; i < x.length; i++) {
                    x[i] -= rate * (g[i] + decay * x[i]);
                }
            } else {
                for (int i = 0, k = at; i < x.length; i++, k++) {
                    float vk = mu * velocity[k] + (g[i] + decay * x[i]);
                    velocity[k] = vk;
                    x[i] -= rate * vk;
                }
            }
            at += x.length;
        }
    }

    /** A copy of the velocity v, flat in registration order; empty without momentum or before the first step. */
    public float[] velocity() {
        return velocity.clone();
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState(step, java.util.Map.of("velocity", velocity));
    }

    @Override
    public void load(OptimizerState state) {
        velocity = state.buffer("velocity");
        step = state.step();
    }

    /** Replaces the velocity with a copy of one exported by {@link #velocity()}. */
    public void loadVelocity(float[] v) {
        velocity = v.clone();
    }
}
