package io.sparklm.train;

import io.sparklm.optim.OptimizerState;
import java.io.Serializable;

/**
 * The driver's state between rounds: what a checkpoint holds and a resumed run starts from.
 *
 * @param round          rounds completed
 * @param parameters     θ, flat in registration order
 * @param optimizer      the inner optimizer's averaged state (its step is the global step)
 * @param outerVelocity  the outer Nesterov momentum buffer (empty for plain averaging)
 * @param tokens         training tokens processed so far, over all workers
 */
public record TrainerState(int round, float[] parameters, OptimizerState optimizer, float[] outerVelocity,
                           double tokens) implements Serializable {
    /** The same parameters without optimizer buffers or outer momentum: all that evaluation reads. */
    public TrainerState withoutOptimizerBuffers() {
        return new TrainerState(round, parameters, new OptimizerState(optimizer.step(), java.util.Map.of()), new float[0], tokens);
    }

    /** Round 0: the given initial parameters and fresh optimizers. */
    public static TrainerState initial(float[] parameters) {
        return new TrainerState(0, parameters, new OptimizerState(0, java.util.Map.of()), new float[0], 0);
    }
}
