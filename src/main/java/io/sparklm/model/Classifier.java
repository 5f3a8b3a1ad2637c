package io.sparklm.model;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.nn.Attention;
import io.sparklm.nn.Block;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Linear;
import io.sparklm.nn.Parameters;
import io.sparklm.nn.Pooling;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;

/**
 * The attention text classifier, corrected as seeds-digest §15 says (one label per text, not one
 * per time step):
 * <pre>
 *   h = encoder(ids, padding mask)                 (B, T, C), a bidirectional {@link TransformerBody}
 *   c = pool(h)                                    (B, C): attention α = softmax(vᵀ tanh(W h_t + b)), [CLS] or mean
 *   z = c·W_o + b_o                                (B, K) logits
 *   L = Σᵢ w_{yᵢ} CE(zᵢ, yᵢ) / Σᵢ w_{yᵢ}          w_c = 1, or N/(K·N_c) with class weights ({@link CrossEntropy})
 * </pre>
 * The body's names are {@code bert.*}, so a body pretrained with masked LM loads into it;
 * the pooling is {@code pool.*}, the output layer {@code classifier.*} [C, K].
 */
public final class Classifier implements Model {
    private final ModelSpec spec;
    private final Parameters params;
    private final TransformerBody body;
    private final Pooling pooling;
    private final Linear output;

    /** A model initialised from {@code rng} (see {@link TransformerBody#initialise}), or zeros when null. */
    Classifier(ModelSpec spec, Rng rng) {
        this(spec, new Parameters());
        if (rng != null) {
            TransformerBody.initialise(rng, params, body);
        }
    }

    private Classifier(ModelSpec spec, Parameters params) {
        ModelConfig config = spec.config();
        this.spec = spec;
        this.params = params;
        this.body = new TransformerBody(params, Bert.PREFIX, config, Attention.Mode.BIDIRECTIONAL, false,
                config.norm() == Block.Norm.PRE);
        this.pooling = new Pooling(params, "pool", config.width(), spec.head().pooling());
        this.output = new Linear(params, "classifier", config.width(), spec.head().outputs(), true);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public Classifier replica() {
        return new Classifier(spec, Parameters.sharingValuesOf(params));
    }

    /** K, the number of classes. */
    public int classes() {
        return spec.head().outputs();
    }

    /** Logits (B, K) of B texts (ids (B·T), right-padded where {@code valid} is false). */
    public Tensor logits(int[] ids, boolean[] valid, int batch, int time, Cache cache) {
        Tensor h = body.forward(ids, batch, time, valid, null, null, cache);
        Tensor pooled = pooling.forward(h, valid, cache.child("pool"));
        return output.forward(pooled, cache.child("classifier"));
    }

    /** Accumulates every parameter's gradient from ∂L/∂logits (B, K) after {@link #logits} on the same cache. */
    public void backward(Tensor dLogits, Cache cache) {
        Tensor dPooled = output.backward(dLogits, cache.child("classifier"));
        Tensor dh = pooling.backward(dPooled, cache.child("pool"));
        body.backward(dh, cache, null);
    }
}
