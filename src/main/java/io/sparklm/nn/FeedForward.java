package io.sparklm.nn;

import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Tensor;

/**
 * Position-wise feed-forward network FFN(x) = act(x·W₁ + b₁)·W₂ + b₂ with W₁ [C, d_ff] ({@code c_fc})
 * and W₂ [d_ff, C] ({@code c_proj}); d_ff = 4C in GPT-2 and BERT.
 */
public final class FeedForward implements Layer {
    private final Linear expand;
    private final Linear contract;
    private final Activation activation;

    public FeedForward(Parameters params, String name, int width, int hidden, Activation activation) {
        this.expand = new Linear(params, name + ".c_fc", width, hidden, true);
        this.contract = new Linear(params, name + ".c_proj", hidden, width, true);
        this.activation = activation;
    }

    public Linear outputProjection() {
        return contract;
    }

    /** h = x·W_fc + b, a = act(h); act'(h) overwrites h, which nothing reads afterwards (B·T·F floats saved). */
    @Override
    public Tensor forward(Tensor x, Cache cache) {
        Tensor h = expand.forward(x, cache.child("c_fc"));
        Tensor a = cache.tensor("a", h.shape());
        activation.forward(h.data, a.data, h.data, h.size());
        cache.put("derivative", h.data);
        return contract.forward(a, cache.child("c_proj"));
    }

    @Override
    public Tensor backward(Tensor dOut, Cache cache) {
        Tensor da = contract.backward(dOut, cache.child("c_proj"));
        Tensor dh = cache.gradient("dh", da.shape());
        Kernels.multiply(da.data, cache.get("derivative"), dh.data, da.size());
        return expand.backward(dh, cache.child("c_fc"));
    }
}
