package io.sparklm.model;

import io.sparklm.nn.Parameters;

/**
 * A trainable model: a {@link TransformerBody} (or two) plus its heads, described by a
 * {@link ModelSpec}. Trainers, checkpoints and the exchange see only this: the flat parameters in
 * registration order and a way to make replicas; objectives ({@code io.sparklm.objective}) call
 * the family's own forward and backward.
 */
public interface Model {
    ModelSpec spec();

    Parameters parameters();

    /**
     * A model that computes with this one's parameter values (shared, not copied) and accumulates
     * into gradients of its own: one per thread of a data-parallel step.
     */
    Model replica();
}
