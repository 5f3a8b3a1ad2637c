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
import io.sparklm.tensor.Blas;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;

/**
 * Decoder-only transformer in the GPT-2 shape (Radford et al., 2019):
 * ids → wte + wpe → dropout → blocks (causal) → ln_f → logits = h·wteᵀ (head tied to the token embedding).
 *
 * <p>Parameter names are those of Hugging Face's {@code GPT2LMHeadModel}
 * ({@code transformer.wte.weight}, {@code transformer.h.0.attn.c_attn.weight} [C, 3C], …), so a
 * saved model reads as a GPT-2 checkpoint. Initialisation as GPT-2: N(0, 0.02) for matrices and
 * embeddings, N(0, 0.02/√(2L)) for the residual output projections, zero biases, unit LayerNorm gains.
 */
public final class Gpt {
    public static final String PREFIX = "transformer.";
    private final ModelConfig config;
    private final Parameters params = new Parameters();
    private final Embedding wte;
    private final PositionalEncoding wpe;
    private final Dropout dropout;
    private final Block[] blocks;
    private final LayerNorm lnF;

    /** A model with GPT-2's random initialisation drawn from {@code seed}. */
    public Gpt(ModelConfig config, long seed) {
        this(config);
        initialise(new Rng(seed));
    }

    /** A model holding the given parameters (flat, in registration order), with no random initialisation. */
    public static Gpt withParameters(ModelConfig config, float[] parameters) {
        Gpt gpt = new Gpt(config);
        gpt.params.load(parameters);
        return gpt;
    }

    private Gpt(ModelConfig config) {
        this.config = config;
        this.wte = new Embedding(params, PREFIX + "wte", config.vocabSize(), config.width());
        this.wpe = new PositionalEncoding(params, PREFIX + "wpe", config.positions(), config.blockSize(), config.width());
        this.dropout = new Dropout(config.dropout());
        this.blocks = new Block[config.layers()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new Block(params, PREFIX + "h." + i, config.width(), config.heads(), config.hidden(),
                    config.activation(), config.norm(), Attention.Mode.CAUSAL, false, config.dropout());
        }
        this.lnF = new LayerNorm(params, PREFIX + "ln_f", config.width());
    }

    private void initialise(Rng rng) {
        double residualStd = 0.02 / Math.sqrt(2.0 * config.layers());
        rng.fillNormal(wte.table().value(), 0.02);
        if (wpe.table() != null) {
            rng.fillNormal(wpe.table().value(), 0.02);
        }
        for (Parameter p : params.all()) {
            if (p.decay()) {
                rng.fillNormal(p.value(), isResidualProjection(p) ? residualStd : 0.02);
            }
        }
    }

    private boolean isResidualProjection(Parameter p) {
        for (Block b : blocks) {
            if (p == b.attention().outputProjection().weight() || p == b.mlp().outputProjection().weight()) {
                return true;
            }
        }
        return false;
    }

    public ModelConfig config() {
        return config;
    }

    public Parameters parameters() {
        return params;
    }

    /** A decoding state for {@code batch} sequences, each with a key-value cache of blockSize positions per layer. */
    public Decoder decoder(int batch) {
        return new Decoder(this, batch);
    }

    /**
     * The decoding pass: appends T new tokens (ids (B, T), row-major) to each of B sequences whose
     * earlier positions are in {@code cache[layer][b]}, and returns the logits (B, V) of each
     * sequence's last new token. Equals the last row of {@link #forward} over each whole sequence;
     * inference only (no dropout), and only the last positions pass through ln_f and the head.
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
        for (int i = 0; i < blocks.length; i++) {
            x = blocks[i].forwardCached(x, cache[i]);
        }
        int c = config.width();
        Tensor last = Tensor.zeros(batch, c);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x.data, (b * time + time - 1) * c, last.data, b * c, c);
        }
        return tiedHead(lnF.forward(last, Cache.inference()));
    }

    /** logits = h·wteᵀ, (N, V) for hidden states h (N, C). */
    private Tensor tiedHead(Tensor h) {
        int n = h.rows();
        int v = config.vocabSize();
        Tensor logits = Tensor.zeros(n, v);
        Blas.gemm(false, true, n, v, config.width(), 1f, h.data, wte.table().value().data, 0f, logits.data);
        return logits;
    }

    /**
     * Logits (B, T, V) for token ids (B·T of them, row-major (B, T)).
     */
    public Tensor forward(int[] ids, int batch, int time, Cache cache) {
        if (ids.length != batch * time) {
            throw new IllegalArgumentException(ids.length + " ids for a batch of " + batch + "×" + time);
        }
        if (time > config.blockSize()) {
            throw new IllegalArgumentException("sequence of " + time + " tokens exceeds model.blockSize " + config.blockSize());
        }
        Tensor x = wte.forward(ids, batch, time);
        wpe.addTo(x);
        x = dropout.forward(x, cache.child("drop"));
        for (int i = 0; i < blocks.length; i++) {
            x = blocks[i].forward(x, cache.child("h" + i));
        }
        Tensor h = lnF.forward(x, cache.child("ln_f"));
        int v = config.vocabSize();
        Tensor logits = Tensor.zeros(batch, time, v);
        Blas.gemm(false, true, batch * time, v, config.width(), 1f, h.data, wte.table().value().data, 0f, logits.data);
        cache.put("ids", ids);
        cache.put("h", h);
        return logits;
    }

    /** Accumulates all parameter gradients from ∂L/∂logits (B, T, V). */
    public void backward(Tensor dLogits, Cache cache) {
        Tensor h = cache.get("h");
        int n = h.rows();
        int v = config.vocabSize();
        int c = config.width();
        Tensor dh = Tensor.zeros(h.shape());
        Blas.gemm(false, false, n, c, v, 1f, dLogits.data, wte.table().value().data, 0f, dh.data);
        Blas.gemm(true, false, v, c, n, 1f, dLogits.data, h.data, 1f, wte.table().grad().data);
        Tensor dx = lnF.backward(dh, cache.child("ln_f"));
        for (int i = blocks.length - 1; i >= 0; i--) {
            dx = blocks[i].backward(dx, cache.child("h" + i));
        }
        dx = dropout.backward(dx, cache.child("drop"));
        wpe.backward(dx);
        wte.backward(cache.get("ids"), dx);
    }
}
