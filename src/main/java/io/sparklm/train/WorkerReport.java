package io.sparklm.train;

import java.io.Serializable;

/**
 * What one worker reports of its round besides its parameters.
 *
 * @param partition      the worker's partition index
 * @param tokens         training tokens it processed (its weight in the average)
 * @param lossSum        Σ over its steps of mean loss × tokens
 * @param computeSeconds time spent in the steps themselves
 * @param step           its optimizer's step after the round (the same on every worker)
 * @param stateSha256    SHA-256 of the {@link WorkerStates} file it wrote
 */
record WorkerReport(int partition, double tokens, double lossSum, double computeSeconds, long step, String stateSha256)
        implements Serializable {
}
