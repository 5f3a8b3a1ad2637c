package io.sparklm.model;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.nn.Attention;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Embedding;
import io.sparklm.nn.Linear;
import io.sparklm.nn.Parameters;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;

/**
 * A policy with a value head for PPO (Ziegler et al. 2019; TRL's {@code AutoModelForCausalLMWithValueHead}):
 * <pre>
 *   h        = body(ids, padding mask)            (B, T, C), GPT-2's causal body under {@code transformer.*}
 *   log π(a) = log softmax(h·wteᵀ)[a]             per position t, a the action taken there (the next token)
 *   H        = −Σ_j π_j log π_j                    the policy's entropy at t
 *   V        = h·w + b                            (B, T), {@code value_head.weight} [C, 1], {@code value_head.bias} [1]
 * </pre>
 * The head is tied to the token embedding as in {@link Gpt}, and the names are a GPT's, so a
 * pretrained or fine-tuned GPT's tensors start it ({@code init.model}); only the value head is new.
 * The head's logits are formed a chunk of rows at a time and only at the positions that take an
 * action ({@link TiedHeadLogProbs}), never as (B, T, V).
 */
public final class PolicyValue implements Model {
    public static final String VALUE_HEAD = "value_head";
    private final ModelSpec spec;
    private final Parameters params;
    private final TransformerBody body;
    private final Embedding wte;
    private final Linear valueHead;

    /**
     * Per position of B·T (row-major (B, T)): log π of the action and the entropy where an action is
     * given (0 elsewhere), and the value V_t at every position.
     */
    public record Outputs(float[] logProb, float[] entropy, float[] value) {
    }

    /** A model initialised from {@code rng} as GPT-2 (the value head's weight N(0, 0.02), bias 0), or zeros when null. */
    PolicyValue(ModelConfig config, Rng rng) {
        this(config, new Parameters());
        if (rng != null) {
            TransformerBody.initialise(rng, params, body);
        }
    }

    private PolicyValue(ModelConfig config, Parameters params) {
        this.spec = new ModelSpec(ModelFamily.POLICY, config);
        this.params = params;
        this.body = new TransformerBody(params, Gpt.PREFIX, config, Attention.Mode.CAUSAL, false, true);
        this.wte = body.tokenEmbedding();
        this.valueHead = new Linear(params, VALUE_HEAD, config.width(), 1, true);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    public ModelConfig config() {
        return spec.config();
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public PolicyValue replica() {
        return new PolicyValue(spec.config(), Parameters.sharingValuesOf(params));
    }

    /** A KV-cached decoding state for {@code batch} sequences over the policy's current weights (shared, not copied). */
    public Decoder decoder(int batch) {
        return new Gpt(spec.config(), Parameters.sharingValuesOf(params)).decoder(batch);
    }

    /**
     * The forward pass over right-padded sequences; keeps what {@link #backward} needs in {@code cache}.
     *
     * @param actions B·T token ids, the action taken at each position (the next token), or the ignore
     *                index −100 where none is scored
     */
    public Outputs forward(PaddedSequences sequences, int[] actions, Cache cache) {
        int n = sequences.ids().length;
        if (actions.length != n) {
            throw new IllegalArgumentException(actions.length + " actions for " + sequences.size() + "×" + sequences.time() + " positions");
        }
        Tensor h = body.forward(sequences.ids(), sequences.size(), sequences.time(), sequences.valid(), null, null, cache);
        float[] value = valueHead.forward(h, cache.child(VALUE_HEAD)).data.clone();
        int[] scored = scoredPositions(actions);
        float[] hScored = gather(h.data, scored, config().width());
        int[] taken = new int[scored.length];
        for (int i = 0; i < scored.length; i++) {
            taken[i] = actions[scored[i]];
        }
        float[] logProbScored = new float[scored.length];
        float[] entropyScored = new float[scored.length];
        TiedHeadLogProbs.forward(hScored, taken, scored.length, config().width(), config().vocabSize(), wte.table().value().data,
                logProbScored, entropyScored, cache.child("head"));
        float[] logProb = new float[n];
        float[] entropy = new float[n];
        for (int i = 0; i < scored.length; i++) {
            logProb[scored[i]] = logProbScored[i];
            entropy[scored[i]] = entropyScored[i];
        }
        cache.put("h", h);
        cache.put("scored", scored);
        cache.put("hScored", hScored);
        cache.put("taken", taken);
        return new Outputs(logProb, entropy, value);
    }

    /**
     * Accumulates every parameter's gradient from ∂L/∂log π, ∂L/∂H and ∂L/∂V (each B·T; entries
     * where no action was scored are ignored for the first two) after {@link #forward} on the same cache.
     */
    public void backward(float[] dLogProb, float[] dEntropy, float[] dValue, Cache cache) {
        Tensor h = cache.get("h");
        int[] scored = cache.get("scored");
        int c = config().width();
        Tensor dh = Tensor.zeros(h.shape());
        Tensor dv = valueHead.backward(Tensor.of(dValue.clone(), h.dim(0), h.dim(1), 1), cache.child(VALUE_HEAD));
        System.arraycopy(dv.data, 0, dh.data, 0, dh.size());
        float[] gLogProb = new float[scored.length];
        float[] gEntropy = new float[scored.length];
        for (int i = 0; i < scored.length; i++) {
            gLogProb[i] = dLogProb[scored[i]];
            gEntropy[i] = dEntropy[scored[i]];
        }
        float[] dhScored = new float[scored.length * c];
        TiedHeadLogProbs.backward(cache.get("hScored"), cache.get("taken"), scored.length, c, config().vocabSize(),
                wte.table().value().data, gLogProb, gEntropy, dhScored, wte.table().grad().data, cache.child("head"));
        for (int i = 0; i < scored.length; i++) {
            for (int k = 0; k < c; k++) {
                dh.data[scored[i] * c + k] += dhScored[i * c + k];
            }
        }
        body.backward(dh, cache, null);
    }

    /** The positions whose action is scored (not the ignore index), each action checked to be a token id. */
    private int[] scoredPositions(int[] actions) {
        int v = config().vocabSize();
        int count = 0;
        for (int i = 0; i < actions.length; i++) {
            if (actions[i] != CrossEntropy.DEFAULT_IGNORE_INDEX) {
                if (actions[i] < 0 || actions[i] >= v) {
                    throw new IllegalArgumentException("action " + actions[i] + " at position " + i + " is not a token id of the "
                            + v + "-token vocabulary");
                }
                count++;
            }
        }
        int[] scored = new int[count];
        int k = 0;
        for (int i = 0; i < actions.length; i++) {
            if (actions[i] != CrossEntropy.DEFAULT_IGNORE_INDEX) {
                scored[k++] = i;
            }
        }
        return scored;
    }

    private static float[] gather(float[] h, int[] rows, int c) {
        float[] out = new float[rows.length * c];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(h, rows[i] * c, out, i * c, c);
        }
        return out;
    }
}
