package io.sparklm.train;

import io.sparklm.optim.OptimizerState;
import java.io.Serializable;

/**
 * What one worker returns after its H local steps.
 *
 * @param tokens         training tokens it processed (the averaging weight)
 * @param loss           Σ over its steps of mean loss × tokens
 * @param parameters     its θ after the steps
 * @param optimizer      its optimizer state after the steps
 * @param computeSeconds time spent in the steps themselves
 */
public record WorkerResult(double tokens, double loss, float[] parameters, OptimizerState optimizer,
                           double computeSeconds) implements Serializable {
}
