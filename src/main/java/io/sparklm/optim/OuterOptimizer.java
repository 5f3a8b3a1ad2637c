package io.sparklm.optim;

/**
 * Turns the round's token-weighted average of the workers' parameters into the next global
 * parameters. With θ the parameters the round started from and θ̄ the average, the outer
 * gradient is Δ = θ − θ̄ (DiLoCo, Douillard et al. 2023):
 * <ul>
 *   <li>{@link #average()}: θ ← θ̄ (plain parameter averaging, McMahan et al. 2017);</li>
 *   <li>{@link #nesterov(double, double)}: u ← μu + Δ; θ ← θ − η(Δ + μu)
 *       (Nesterov momentum with outer learning rate η, DiLoCo's choice; η = 1, μ = 0 is averaging).</li>
 * </ul>
 * The momentum buffer u is the outer state that checkpoints keep.
 */
public final class OuterOptimizer {
    private final double lr;
    private final double momentum;
    private float[] velocity = new float[0];

    private OuterOptimizer(double lr, double momentum) {
        if (!(lr > 0 && lr < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("outer.lr must be positive, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("outer.momentum must be in [0, 1), got " + momentum);
        }
        this.lr = lr;
        this.momentum = momentum;
    }

    public static OuterOptimizer average() {
        return new OuterOptimizer(1, 0);
    }

    public static OuterOptimizer nesterov(double lr, double momentum) {
        return new OuterOptimizer(lr, momentum);
    }

    /** Named as in configuration: {@code average} or {@code nesterov}. */
    public static OuterOptimizer named(String name, double lr, double momentum) {
        return switch (name) {
            case "average" -> average();
            case "nesterov" -> nesterov(lr, momentum);
            default -> throw new IllegalArgumentException("outer.optimizer must be 'average' or 'nesterov', got '" + name + "'");
        };
    }

    /**
     * Writes the next parameters for one chunk: positions [offset, offset + average.length) of
     * {@code next}, from the same positions of {@code current} and the workers' average of them.
     * Chunks may come in any order; each position is updated once per round.
     *
     * @param current θ, not modified
     * @param average θ̄ over the chunk
     * @param next    receives θ_{r+1} over the chunk
     */
    public void apply(float[] current, float[] average, int offset, float[] next) {
        if (current.length != next.length || offset < 0 || offset + average.length > current.length) {
            throw new IllegalArgumentException("chunk of " + average.length + " values at " + offset + " for "
                    + current.length + " parameters");
        }
        if (momentum == 0 && lr == 1) {
            System.arraycopy(average, 0, next, offset, average.length);
            return;
        }
        if (velocity.length != current.length) {
            velocity = new float[current.length];
        }
        float mu = (float) momentum;
        float eta = (float) lr;
        for (int j = 0, i = offset; j < average.length; j++, i++) {
            float delta = current[i] - average[j];
            float u = mu * velocity[i] + delta;
            velocity[i] = u;
            next[i] = current[i] - eta * (delta + mu * u);
        }
    }

    /** A copy of the momentum buffer u (empty for plain averaging or before the first round). */
    public float[] velocity() {
        return velocity.clone();
    }

    public void loadVelocity(float[] u) {
        velocity = u.clone();
    }
}
