package io.sparklm.model;

import io.sparklm.nn.Attention;
import io.sparklm.nn.Block;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Dropout;
import io.sparklm.nn.Embedding;
import io.sparklm.nn.KeyValueCache;
import io.sparklm.nn.LayerNorm;
import io.sparklm.nn.Parameter;
import io.sparklm.nn.Parameters;
import io.sparklm.nn.PositionalEncoding;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;

/**
 * The body every model family shares: token ids (B, T) and their padding mask → hidden states
 * (B, T, C).
 * <pre>
 *   x = drop(wte[ids] + wpe[positions])          positions count real tokens only: 0, 1, 2, … per sequence
 *   x = ln_emb(x)                                post-LN bodies (BERT) normalise the embeddings
 *   x = block_L(… block_1(x, memory) …)          causal or bidirectional self-attention, keys masked where padded;
 *                                               with cross-attention to an encoder's output when {@code cross}
 *   h = ln_f(x)                                  pre-LN bodies (GPT-2) normalise the last block's output
 * </pre>
 * Position ids follow the padding mask, so a left-padded sequence's real tokens get the positions
 * (and, with causal attention, the hidden states) they have without padding. Padded positions get
 * position 0; their hidden states are computed but mean nothing, and a loss must not read them.
 *
 * <p>Names: {@code PREFIX wte, wpe, h.i.*, ln_emb, ln_f}, GPT-2's under {@code transformer.}.
 */
public final class TransformerBody {
    private final ModelConfig config;
    private final Embedding wte;
    private final PositionalEncoding wpe;
    private final Dropout dropout;
    private final LayerNorm embeddingNorm;
    private final Block[] blocks;
    private final LayerNorm finalNorm;

    /**
     * @param finalNorm whether ln_f follows the blocks; without it a post-LN body normalises its
     *                  embeddings instead (BERT), since its blocks end in a LayerNorm already
     */
    TransformerBody(Parameters params, String prefix, ModelConfig config, Attention.Mode selfAttention, boolean cross,
                    boolean finalNorm) {
        this.config = config;
        this.wte = new Embedding(params, prefix + "wte", config.vocabSize(), config.width());
        this.wpe = new PositionalEncoding(params, prefix + "wpe", config.positions(), config.blockSize(), config.width());
        this.dropout = new Dropout(config.dropout());
        this.embeddingNorm = finalNorm ? null : new LayerNorm(params, prefix + "ln_emb", config.width());
        this.blocks = new Block[config.layers()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new Block(params, prefix + "h." + i, config.width(), config.heads(), config.hidden(),
                    config.activation(), config.norm(), selfAttention, cross, config.dropout());
        }
        this.finalNorm = finalNorm ? new LayerNorm(params, prefix + "ln_f", config.width()) : null;
    }

    public ModelConfig config() {
        return config;
    }

    public Embedding tokenEmbedding() {
        return wte;
    }

    /**
     * GPT-2's initialisation of every parameter of {@code params} that decays (matrices and
     * embeddings): N(0, 0.02), and N(0, 0.02/√(2L)) for the residual output projections ({@code c_proj}
     * of self-attention, cross-attention and the MLP, as Hugging Face's GPT-2 scales every
     * {@code c_proj.weight}); biases stay zero and LayerNorm gains one. The embeddings (which do not
     * decay) of each body are drawn first, body by body, then the rest in registration order.
     *
     * @param bodies the bodies {@code params} holds (one for GPT and BERT; encoder, then decoder),
     *               all of the same config
     */
    static void initialise(Rng rng, Parameters params, TransformerBody... bodies) {
        double residualStd = 0.02 / Math.sqrt(2.0 * bodies[0].config.layers());
        for (TransformerBody body : bodies) {
            rng.fillNormal(body.wte.table().value(), 0.02);
            if (body.wpe.table() != null) {
                rng.fillNormal(body.wpe.table().value(), 0.02);
            }
        }
        for (Parameter p : params.all()) {
            if (p.decay()) {
                rng.fillNormal(p.value(), isResidualProjection(p, bodies) ? residualStd : 0.02);
            }
        }
    }

    private static boolean isResidualProjection(Parameter p, TransformerBody[] bodies) {
        for (TransformerBody body : bodies) {
            for (Block b : body.blocks) {
                if (p == b.attention().outputProjection().weight() || p == b.mlp().outputProjection().weight()
                        || (b.crossAttention() != null && p == b.crossAttention().outputProjection().weight())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * h (B, T, C) for ids (B·T, row-major) whose real tokens are marked by {@code valid} (B·T, null:
     * all real); {@code memory} is the encoder output (B, S, C) that cross-attention reads, masked by
     * {@code memoryValid} (B·S, null: all real), or null without cross-attention. Keeps what
     * {@link #backward} needs in {@code cache}.
     */
    public Tensor forward(int[] ids, int batch, int time, boolean[] valid, Tensor memory, boolean[] memoryValid, Cache cache) {
        Tensor.length("feed-forward activations (B·T·model.hidden)", "train.batchSize or model.blockSize", batch, time, config.hidden());
        if (ids.length != (long) batch * time) {
            throw new IllegalArgumentException(ids.length + " ids for a batch of " + batch + "×" + time);
        }
        if (time > config.blockSize()) {
            throw new IllegalArgumentException("sequence of " + time + " tokens exceeds model.blockSize " + config.blockSize());
        }
        if (valid != null && valid.length != ids.length) {
            throw new IllegalArgumentException(valid.length + " padding-mask entries for " + ids.length + " ids");
        }
        cache.withKeyValid(valid).withMemoryValid(memoryValid);
        Tensor x = wte.forward(ids, batch, time);
        if (valid == null) {
            wpe.addTo(x);
        } else {
            wpe.addAt(x, positions(valid, batch, time));
        }
        x = dropout.forward(x, cache.child("drop"));
        if (embeddingNorm != null) {
            x = embeddingNorm.forward(x, cache.child("ln_emb"));
        }
        for (int i = 0; i < blocks.length; i++) {
            x = blocks[i].forward(x, memory, cache.child("h" + i, i % 2));
        }
        Tensor h = finalNorm == null ? x : finalNorm.forward(x, cache.child("ln_f"));
        cache.put("ids", ids);
        cache.put("valid", valid == null ? new boolean[0] : valid);
        return h;
    }

    /** position[b, t] = the number of real tokens of sequence b before t, for real tokens; 0 for padding. */
    static int[] positions(boolean[] valid, int batch, int time) {
        int[] positions = new int[batch * time];
        for (int b = 0; b < batch; b++) {
            int next = 0;
            for (int t = 0; t < time; t++) {
                positions[b * time + t] = valid[b * time + t] ? next++ : 0;
            }
        }
        return positions;
    }

    /**
     * Accumulates every body parameter's gradient from ∂L/∂h (B, T, C); with cross-attention,
     * ∂L/∂memory is added into {@code dMemory} (B, S, C), which must then be non-null.
     */
    public void backward(Tensor dh, Cache cache, Tensor dMemory) {
        Tensor dx = finalNorm == null ? dh : finalNorm.backward(dh, cache.child("ln_f"));
        for (int i = blocks.length - 1; i >= 0; i--) {
            dx = blocks[i].backward(dx, cache.child("h" + i, i % 2), dMemory);
        }
        if (embeddingNorm != null) {
            dx = embeddingNorm.backward(dx, cache.child("ln_emb"));
        }
        dx = dropout.backward(dx, cache.child("drop"));
        boolean[] valid = cache.get("valid");
        int[] ids = cache.get("ids");
        if (valid.length == 0) {
            wpe.backward(dx);
        } else {
            wpe.backwardAt(dx, positions(valid, dx.dim(0), dx.dim(1)));
        }
        wte.backward(ids, dx);
    }

    /**
     * The decoding pass of a causal body: appends T new tokens (ids (B, T)) to each of B sequences
     * whose earlier positions are in {@code cache[layer][b]}, and returns the normalised hidden state
     * (B, C) of each sequence's last new token (see {@link Gpt#forwardCached}).
     */
    Tensor forwardCached(int[] ids, int time, KeyValueCache[][] cache) {
        int batch = cache[0].length;
        if (ids.length != batch * time) {
            throw new IllegalArgumentException(ids.length + " ids for a batch of " + batch + "×" + time);
        }
        int[] starts = new int[batch];
        for (int b = 0; b < batch; b++) {
            starts[b] = cache[0][b].length();
            if (starts[b] + time > config.blockSize()) {
                throw new IllegalArgumentException("sequence " + b + " holds " + starts[b] + " tokens: " + time
                        + " more exceed model.blockSize " + config.blockSize() + "; clear it and append a shorter window");
            }
        }
        Tensor x = wte.forward(ids, batch, time);
        wpe.addTo(x, starts);
        if (embeddingNorm != null) {
            x = embeddingNorm.forward(x, Cache.inference());
        }
        for (int i = 0; i < blocks.length; i++) {
            x = blocks[i].forwardCached(x, cache[i]);
        }
        int c = config.width();
        Tensor last = Tensor.zeros(batch, c);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x.data, (b * time + time - 1) * c, last.data, b * c, c);
        }
        return finalNorm == null ? last : finalNorm.forward(last, Cache.inference());
    }
}
