package io.sparklm.model;

import io.sparklm.nn.Attention;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Linear;
import io.sparklm.nn.Parameters;
import io.sparklm.nn.Pooling;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;

/**
 * A reward model r(x, y) (seeds-digest §9; Ouyang et al. 2022): the GPT's causal body over
 * prompt · response, read at the last non-pad token by a scalar head,
 * <pre>
 *   h = body(prompt · response, padding mask)       (B, T, C), GPT-2's names ({@code transformer.*})
 *   r = h_last · w + b                              (B), {@code score.weight} [C, 1], {@code score.bias} [1]
 * </pre>
 * Its body has the names of a GPT's, so a pretrained or fine-tuned policy's body starts it.
 */
public final class RewardModel implements Model {
    private final ModelSpec spec;
    private final Parameters params;
    private final TransformerBody body;
    private final Pooling last;
    private final Linear score;

    /** A model initialised from {@code rng} (see {@link TransformerBody#initialise}), or zeros when null. */
    RewardModel(ModelConfig config, Rng rng) {
        this(config, new Parameters());
        if (rng != null) {
            TransformerBody.initialise(rng, params, body);
        }
    }

    private RewardModel(ModelConfig config, Parameters params) {
        this.spec = new ModelSpec(ModelFamily.REWARD, config);
        this.params = params;
        this.body = new TransformerBody(params, Gpt.PREFIX, config, Attention.Mode.CAUSAL, false, true);
        this.last = new Pooling(params, "score.pool", config.width(), Pooling.Kind.LAST);
        this.score = new Linear(params, "score", config.width(), 1, true);
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
    public RewardModel replica() {
        return new RewardModel(spec.config(), Parameters.sharingValuesOf(params));
    }

    /** r (B) of right-padded sequences; keeps what {@link #backward} needs in {@code cache}. */
    public float[] rewards(PaddedSequences sequences, Cache cache) {
        Tensor h = body.forward(sequences.ids(), sequences.size(), sequences.time(), sequences.valid(), null, null, cache);
        Tensor pooled = last.forward(h, sequences.valid(), cache.child("pool"));
        return score.forward(pooled, cache.child("score")).data.clone();
    }

    /** Accumulates every parameter's gradient from ∂L/∂r (B) after {@link #rewards} on the same cache. */
    public void backward(float[] dRewards, Cache cache) {
        Tensor dPooled = score.backward(Tensor.of(dRewards.clone(), dRewards.length, 1), cache.child("score"));
        body.backward(last.backward(dPooled, cache.child("pool")), cache, null);
    }
}
