package io.sparklm.model;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.loss.LossResult;
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
    /** Most logits the fused head and loss hold per thread in training: the head never forms (B, T, V). */
    public static final int HEAD_CHUNK_LOGITS = TiedHeadCrossEntropy.CHUNK_LOGITS;
    private final ModelConfig config;
    private final Parameters params;
    private final Embedding wte;
    private final PositionalEncoding wpe;
    private final Dropout dropout;
    private final Block[] blocks;
    private final LayerNorm lnF;
    private final TiedHeadCrossEntropy head = new TiedHeadCrossEntropy(new CrossEntropy(),
            TiedHeadCrossEntropy.CHUNK_LOGITS);

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

    /**
     * A model that computes with this one's parameter values (shared, not copied) and accumulates
     * into gradients of its own: one per thread of a data-parallel step.
     */
    public Gpt replica() {
        return new Gpt(config, Parameters.sharingValuesOf(params));
    }

    private Gpt(ModelConfig config) {
        this(config, new Parameters());
    }

    private Gpt(ModelConfig config, Parameters params) {
        this.config = config;
        this.params = params;
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
        Tensor logits = Tensor.of(new float[Tensor.length("logits (B·T·V)", "the batch or the context given to forward", n, v)], n, v);
        Blas.gemm(false, true, n, v, config.width(), 1f, h.data, wte.table().value().data, 0f, logits.data);
        return logits;
    }

    /**
     * Logits (B, T, V) for token ids (B·T of them, row-major (B, T)), for generation and tests;
     * training and evaluation use {@link #forwardLoss} and {@link #loss}, which never hold them.
     */
    public Tensor forward(int[] ids, int batch, int time, Cache cache) {
        return tiedHead(hidden(ids, batch, time, cache)).reshape(batch, time, config.vocabSize());
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
        backwardHidden(dh, cache);
    }

    /**
     * Σᵢ wᵢ Lᵢ, the cross-entropy sum of the next-token {@code targets} (B·T, the ignore index
     * −100 not counted), and the head's gradients of (Σᵢ wᵢ Lᵢ)/{@code normaliser}, with the
     * logits formed a chunk of rows at a time ({@link TiedHeadCrossEntropy}) instead of (B, T, V).
     * ∂wte from the head is added now; {@link #backward(Cache)} then adds all the others. A batch
     * split into micro-batches passes every part the whole batch's {@link #targetWeight}, so the
     * summed gradients are those of the batch mean.
     *
     * @return the loss sum and this batch's Σ wᵢ; {@code grad} is null (the gradient is in the cache)
     */
    public LossResult forwardLoss(int[] ids, int[] targets, int batch, int time, double normaliser, Cache cache) {
        Tensor h = hidden(ids, batch, time, cache);
        Tensor dh = cache.tensor("dh", h.shape());
        cache.put("dh", dh);
        return headLoss(h, targets, normaliser, dh, cache);
    }

    /** Accumulates the gradients of every parameter below the head after {@link #forwardLoss}. */
    public void backward(Cache cache) {
        backwardHidden(cache.get("dh"), cache);
    }

    /** The cross-entropy of next-token {@code targets} without gradients: sum and Σ wᵢ, grad null. */
    public LossResult loss(int[] ids, int[] targets, int batch, int time) {
        Cache cache = Cache.inference();
        return headLoss(hidden(ids, batch, time, cache), targets, 1, null, cache);
    }

    private LossResult headLoss(Tensor h, int[] targets, double normaliser, Tensor dh, Cache cache) {
        if (targets.length != h.rows()) {
            throw new IllegalArgumentException(targets.length + " targets for " + h.rows() + " positions");
        }
        double weight = targetWeight(targets);
        double sum = head.forward(h.data, targets, h.rows(), config.width(), config.vocabSize(), normaliser,
                wte.table().value().data, dh == null ? null : dh.data, wte.table().grad().data, cache.child("head"));
        return new LossResult(sum, weight, null);
    }

    /** Σᵢ wᵢ over {@code targets}: the number of them that count (not the ignore index), validating each. */
    public double targetWeight(int[] targets) {
        return head.crossEntropy().totalWeight(targets, config.vocabSize());
    }

    /** h = ln_f(blocks(drop(wte[ids] + wpe))) (B, T, C), the input of the head. */
    private Tensor hidden(int[] ids, int batch, int time, Cache cache) {
        Tensor.length("feed-forward activations (B·T·model.hidden)", "train.batchSize or model.blockSize", batch, time, config.hidden());
        if (ids.length != (long) batch * time) {
            throw new IllegalArgumentException(ids.length + " ids for a batch of " + batch + "×" + time);
        }
        if (time > config.blockSize()) {
            throw new IllegalArgumentException("sequence of " + time + " tokens exceeds model.blockSize " + config.blockSize());
        }
        Tensor x = wte.forward(ids, batch, time);
        wpe.addTo(x);
        x = dropout.forward(x, cache.child("drop"));
        for (int i = 0; i < blocks.length; i++) {
            x = blocks[i].forward(x, cache.child("h" + i, i % 2));
        }
        Tensor h = lnF.forward(x, cache.child("ln_f"));
        cache.put("ids", ids);
        cache.put("h", h);
        return h;
    }

    /** Backward from ∂L/∂h (B, T, C) through ln_f, the blocks and the embeddings. */
    private void backwardHidden(Tensor dh, Cache cache) {
        Tensor dx = lnF.backward(dh, cache.child("ln_f"));
        for (int i = blocks.length - 1; i >= 0; i--) {
            dx = blocks[i].backward(dx, cache.child("h" + i, i % 2));
        }
        dx = dropout.backward(dx, cache.child("drop"));
        wpe.backward(dx);
        wte.backward(cache.get("ids"), dx);
    }
}
