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
 * The velocity v is one array per parameter tensor, shaped as it, allocated on the first step
 * and reused.
 */
public final class Sgd implements Optimizer {
    private final double momentum;
    private final double weightDecay;
    private float[][] velocity = new float[0][];
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
        if (momentum != 0) {
            if (velocity.length == 0) {
                velocity = OptimizerState.zerosLike(params);
            } else {
                OptimizerState.requireShapedAs("velocity", velocity, params);
            }
        }
        step++;
        float rate = (float) lr;
        float mu = (float) momentum;
        java.util.List<Parameter> all = params.all();
        for (int index = 0; index < all.size(); index++) {
            Parameter p = all.get(index);
            float[] x = p.value().data;
            float[] g = p.grad().data;
            float decay = p.decay() ? (float) weightDecay : 0f;
            if (momentum == 0) {
                for (int i = 0; i < x.length; i++) {
                    x[i] -= rate * (g[i] + decay * x[i]);
                }
            } else {
                float[] u = velocity[index];
                for (int i = 0; i < x.length; i++) {
                    float ui = mu * u[i] + (g[i] + decay * x[i]);
                    u[i] = ui;
                    x[i] -= rate * ui;
                }
            }
        }
    }

    /** A copy of the velocity v, flat in registration order; empty without momentum or before the first step. */
    public float[] velocity() {
        return OptimizerState.flat(velocity);
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
}
