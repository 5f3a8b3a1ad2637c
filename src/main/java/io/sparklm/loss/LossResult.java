package io.sparklm.loss;

import io.sparklm.tensor.Tensor;

/**
 * A loss over a batch, kept as a (sum, weight) pair so that results from many batches or many
 * executors add up to the global mean Σ sum / Σ weight (seeds-digest §11), never a mean of means.
 *
 * @param sum    Σ wᵢ·Lᵢ over the batch's items (tokens, rows, pairs), in double
 * @param weight Σ wᵢ: the number of counted items, or the total of their weights
 * @param grad   ∂(sum / weight)/∂input: the gradient of the <em>mean</em> loss, same shape as the input
 */
public record LossResult(double sum, double weight, Tensor grad) {
    /** The mean loss sum / weight; 0 when nothing was counted (weight 0). */
    public double mean() {
        return weight == 0 ? 0 : sum / weight;
    }
}
