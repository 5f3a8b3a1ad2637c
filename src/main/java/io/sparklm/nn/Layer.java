package io.sparklm.nn;

import io.sparklm.tensor.Tensor;

/**
 * A differentiable map with its own parameters.
 *
 * <p>{@code forward} computes the output and stores in {@code cache} what {@code backward} needs;
 * {@code backward} takes ∂L/∂output, adds ∂L/∂θ into its parameters' gradients and returns
 * ∂L/∂input. Calling backward twice on one cache accumulates twice. Outputs and input gradients
 * live in the cache's buffers ({@link Cache#tensor}): they hold until the next pass through the
 * same cache overwrites them.
 */
public interface Layer {
    Tensor forward(Tensor input, Cache cache);

    Tensor backward(Tensor dOutput, Cache cache);
}
