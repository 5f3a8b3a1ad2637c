package io.sparklm.nn;

import io.sparklm.tensor.Tensor;

/**
 * One named trainable tensor with its gradient.
 *
 * @param name  the stored name (GPT-2 names where they exist, e.g. {@code transformer.h.0.attn.c_attn.weight})
 * @param value the weights
 * @param grad  the accumulated gradient, same shape as {@code value}
 * @param decay whether AdamW's decoupled weight decay applies (matrices yes; biases, LayerNorm, embeddings no)
 */
public record Parameter(String name, Tensor value, Tensor grad, boolean decay) {
    public static Parameter create(String name, boolean decay, int... shape) {
        return new Parameter(name, Tensor.zeros(shape), Tensor.zeros(shape), decay);
    }

    public int size() {
        return value.size();
    }
}
