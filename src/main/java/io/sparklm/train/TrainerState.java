package io.sparklm.train;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The driver's state between rounds: what a checkpoint holds and a resumed run starts from.
 * The workers' optimizer buffers are not here: they stay with their workers in {@link WorkerStates},
 * and this state names the round's files by their checksums.
 *
 * @param round          rounds completed
 * @param parameters     θ, flat in registration order
 * @param step           the inner optimizers' step count (the same on every worker: the global step)
 * @param outerVelocity  the outer Nesterov momentum buffer (empty for plain averaging)
 * @param tokens         training tokens processed so far, over all workers
 * @param workerStates   partition → SHA-256 of its {@link WorkerStates} file of this round
 */
public record TrainerState(int round, float[] parameters, long step, float[] outerVelocity,
                           double tokens, Map<Integer, String> workerStates) implements Serializable {
    public TrainerState {
        workerStates = new TreeMap<>(workerStates);
    }

    /** Round 0: the given initial parameters and fresh optimizers. */
    public static TrainerState initial(float[] parameters) {
        return new TrainerState(0, parameters, 0, new float[0], 0, Map.of());
    }
}
