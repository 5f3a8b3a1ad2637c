package io.sparklm.optim;

import io.sparklm.nn.Parameters;

/** Updates parameters in place from their accumulated gradients. */
public interface Optimizer {
    /**
     * One optimisation step: reads every {@link io.sparklm.nn.Parameter#grad()}, updates its value, and
     * counts one step (for bias corrections). Gradients are left as they are; zero them before the next
     * accumulation.
     *
     * @param params the parameters, always the same set in the same registration order
     * @param lr     the learning rate for this step, ≥ 0
     */
    void step(Parameters params, double lr);

    /**
     * The state: step count and the live buffers, not copies (at 124M parameters a copy of AdamW's
     * moments is another 1 GB); they change with the next {@link #step}.
     */
    OptimizerState state();

    /**
     * Replaces the state with one exported by {@link #state()} from the same kind of optimizer,
     * taking its buffers over without copying them: the caller must not modify them afterwards.
     */
    void load(OptimizerState state);

    /** Rejects a learning rate that is negative or not finite, naming it. */
    static void checkLearningRate(double lr) {
        if (!(lr >= 0 && lr < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("learning rate lr must be finite and non-negative, got " + lr);
        }
    }
}
