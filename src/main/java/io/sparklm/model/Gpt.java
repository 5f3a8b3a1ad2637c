package io.sparklm.model;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.loss.LossResult;
import io.sparklm.nn.Attention;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Embedding;
import io.sparklm.nn.KeyValueCache;
import io.sparklm.nn.Parameters;
import io.sparklm.tensor.Blas;
import io.sparklm.tensor.NativeFloats;
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
public final class Gpt implements Model {
    public static final String PREFIX = "transformer.";
    /** Most logits the fused head and loss hold per thread in training: the head never forms (B, T, V). */
    public static final int HEAD_CHUNK_LOGITS = TiedHeadCrossEntropy.CHUNK_LOGITS;
    private final ModelConfig config;
    private final Parameters params;
    private final TransformerBody body;
    private final Embedding wte;
    private final TiedHeadCrossEntropy head = new TiedHeadCrossEntropy(new CrossEntropy(),
            TiedHeadCrossEntropy.CHUNK_LOGITS);

    /** A model with GPT-2's random initialisation drawn from {@code seed}. */
    public Gpt(ModelConfig config, long seed) {
        this(config, new Rng(seed));
    }

    /** A model holding the given parameters (flat, in registration order), with no random initialisation. */
    public static Gpt withParameters(ModelConfig config, float[] parameters) {
        return (Gpt) ModelSpec.decoder(config).withParameters(parameters);
    }

    @Override
    public Gpt replica() {
        return new Gpt(config, Parameters.sharingValuesOf(params));
    }

    /** A model initialised from {@code rng}, or left at zeros (unit LayerNorm gains) when it is null. */
    Gpt(ModelConfig config, Rng rng) {
        this(config, new Parameters());
        if (rng != null) {
            TransformerBody.initialise(rng, params, body);
        }
    }

    /** A model over {@code params}, registering GPT-2's names in it ({@link PolicyValue#decoder} shares a policy's values this way). */
    Gpt(ModelConfig config, Parameters params) {
        this.config = config;
        this.params = params;
        this.body = new TransformerBody(params, PREFIX, config, Attention.Mode.CAUSAL, false, true);
        this.wte = body.tokenEmbedding();
    }

    @Override
    public ModelSpec spec() {
        return ModelSpec.decoder(config);
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
    Tensor forwardCached(int[] ids, int time, KeyValueCache[][] cache, NativeFloats embedding, Cache scratch) {
        return tiedHead(body.forwardCached(ids, time, cache), embedding, scratch);
    }

    /**
     * wte (V, C) in native memory, for a caller that runs many head products while the weights do
     * not change ({@link Decoder}: one row of logits per token, where copying E across JNI would
     * cost more than the product).
     */
    NativeFloats nativeEmbedding() {
        float[] e = wte.table().value().data;
        NativeFloats copy = new NativeFloats(e.length);
        copy.put(e, 0, e.length, 0);
        return copy;
    }

    /** logits = h·wteᵀ, (N, V) for hidden states h (N, C), wte given as {@link #nativeEmbedding}. */
    private Tensor tiedHead(Tensor h, NativeFloats embedding, Cache scratch) {
        int n = h.rows();
        int c = config.width();
        int v = config.vocabSize();
        Tensor logits = Tensor.of(new float[Tensor.length("logits (B·T·V)", "the batch or the context given to forward", n, v)], n, v);
        NativeFloats hN = scratch.nativeFloats("hNative", (long) n * c);
        NativeFloats zN = scratch.nativeFloats("logitsNative", (long) n * v);
        hN.put(h.data, 0, n * c, 0);
        Blas.gemm(false, true, n, v, c, 1f, hN, 0, embedding, 0, 0f, zN, 0);
        zN.get(0, logits.data, 0, n * v);
        return logits;
    }

    /**
     * Logits (B, T, V) for token ids (B·T of them, row-major (B, T)), for generation and tests;
     * training and evaluation use {@link #forwardLoss} and {@link #loss}, which never hold them.
     */
    public Tensor forward(int[] ids, int batch, int time, Cache cache) {
        Tensor h = hidden(ids, null, batch, time, cache);
        try (NativeFloats embedding = nativeEmbedding()) {
            return tiedHead(h, embedding, cache.child("logits")).reshape(batch, time, config.vocabSize());
        }
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
        return forwardLoss(ids, null, targets, batch, time, normaliser, cache);
    }

    /** {@link #forwardLoss(int[], int[], int, int, double, Cache)} of right-padded sequences: {@code valid} (B·T) marks real tokens. */
    public LossResult forwardLoss(int[] ids, boolean[] valid, int[] targets, int batch, int time, double normaliser, Cache cache) {
        Tensor h = hidden(ids, valid, batch, time, cache);
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
        return loss(ids, null, targets, batch, time);
    }

    /** The loss of right-padded sequences without gradients; {@code valid} (B·T) marks real tokens, null all. */
    public LossResult loss(int[] ids, boolean[] valid, int[] targets, int batch, int time) {
        Cache cache = Cache.inference();
        return headLoss(hidden(ids, valid, batch, time, cache), targets, 1, null, cache);
    }

    private LossResult headLoss(Tensor h, int[] targets, double normaliser, Tensor dh, Cache cache) {
        if (targets.length != h.rows()) {
            throw new IllegalArgumentException(targets.length + " targets for " + h.rows() + " positions");
        }
        double weight = targetWeight(targets);
        double sum = head.forward(h.data, targets, h.rows(), config.width(), config.vocabSize(), normaliser,
                wte.table().value().data, null, dh == null ? null : dh.data, wte.table().grad().data, null, cache.child("head"));
        return new LossResult(sum, weight, null);
    }

    /**
     * log π(yᵢ) = Σ_{t counted} log P(x_{t+1} | x_≤t) of each of B right-padded sequences (B), the
     * negated cross-entropy sum of its row of next-token {@code targets} (B·T, −100 not counted):
     * the sequence log-likelihood of a response (DPO; Rafailov et al. 2023, eq. 7). The fused head
     * reads one sequence's T rows at a time, so no more logits than {@link #forwardLoss}'s are held.
     * Keeps what {@link #backwardSequenceLogProbs} needs in {@code cache}.
     */
    public double[] sequenceLogProbs(int[] ids, boolean[] valid, int[] targets, int batch, int time, Cache cache) {
        Tensor h = hidden(ids, valid, batch, time, cache);
        if (targets.length != h.rows()) {
            throw new IllegalArgumentException(targets.length + " targets for " + h.rows() + " positions");
        }
        targetWeight(targets);
        cache.put("targets", targets);
        double[] logProbs = new double[batch];
        for (int b = 0; b < batch; b++) {
            logProbs[b] = -sequenceHead(h, targets, b, time, 1, null, cache);
        }
        return logProbs;
    }

    /**
     * Accumulates every parameter's gradient of Σᵢ cᵢ log π(yᵢ) after {@link #sequenceLogProbs} on the
     * same cache, cᵢ = ∂L/∂log π(yᵢ) the coefficients (B) a sequence-level loss L gives. The head's
     * gradient of (Σ_t L_t)/W is (softmax − y)/W per counted row; with W = −1/cᵢ it is that of
     * −cᵢ Σ_t L_t = cᵢ log π(yᵢ), so sequence i passes through the fused head again with normaliser
     * −1/cᵢ (skipped where cᵢ = 0: its gradient is zero), and ∂h then goes down the body once.
     * The head's logits are formed twice (the forward keeps none), the price of holding no (B, T, V).
     */
    public void backwardSequenceLogProbs(double[] coefficients, Cache cache) {
        Tensor h = cache.get("h");
        int[] targets = cache.get("targets");
        int time = targets.length / coefficients.length;
        if (time * coefficients.length != h.rows()) {
            throw new IllegalArgumentException(coefficients.length + " coefficients for the " + h.rows() / Math.max(1, time)
                    + " sequences of the last sequenceLogProbs");
        }
        Tensor dh = cache.zeros("dh", h.shape());
        for (int b = 0; b < coefficients.length; b++) {
            if (coefficients[b] != 0) {
                sequenceHead(h, targets, b, time, -1 / coefficients[b], dh, cache);
            }
        }
        backwardHidden(dh, cache);
    }

    /**
     * The fused head over sequence b's rows [b·T, (b+1)·T) of h: its cross-entropy sum and, with dh,
     * those rows of dh and ∂wte of (Σ_t L_t)/{@code normaliser}.
     */
    private double sequenceHead(Tensor h, int[] targets, int b, int time, double normaliser, Tensor dh, Cache cache) {
        int c = config.width();
        float[] rows = java.util.Arrays.copyOfRange(h.data, b * time * c, (b + 1) * time * c);
        int[] rowTargets = java.util.Arrays.copyOfRange(targets, b * time, (b + 1) * time);
        float[] dRows = dh == null ? null : cache.floats("dhSequence", time * c);
        double sum = head.forward(rows, rowTargets, time, c, config.vocabSize(), normaliser, wte.table().value().data, null, dRows,
                wte.table().grad().data, null, cache.child("head"));
        if (dh != null) {
            System.arraycopy(dRows, 0, dh.data, b * time * c, time * c);
        }
        return sum;
    }

    /** Σᵢ wᵢ over {@code targets}: the number of them that count (not the ignore index), validating each. */
    public double targetWeight(int[] targets) {
        return head.crossEntropy().totalWeight(targets, config.vocabSize());
    }

    /** h = ln_f(blocks(drop(wte[ids] + wpe))) (B, T, C), the input of the head. */
    private Tensor hidden(int[] ids, boolean[] valid, int batch, int time, Cache cache) {
        Tensor h = body.forward(ids, batch, time, valid, null, null, cache);
        cache.put("h", h);
        return h;
    }

    /** Backward from ∂L/∂h (B, T, C) through ln_f, the blocks and the embeddings. */
    private void backwardHidden(Tensor dh, Cache cache) {
        body.backward(dh, cache, null);
    }
}
