package io.sparklm.model;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.loss.LossResult;
import io.sparklm.nn.Attention;
import io.sparklm.nn.Block;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Embedding;
import io.sparklm.nn.Parameters;
import io.sparklm.tensor.Blas;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;

/**
 * The encoder–decoder transformer (Vaswani et al., 2017, §3.1): a source x (B, S) and decoder
 * inputs y (B, T) → next-token logits (B, T, V).
 * <pre>
 *   m = encoder(x)                        bidirectional {@link TransformerBody}, keys masked at source padding   (B, S, C)
 *   h = decoder(y, m)                     causal body; each block also cross-attends to m, masked at source padding  (B, T, C)
 *   z = h·Eᵀ                              head tied to the decoder's token embedding E (V, C)
 *   L = −Σ_t log softmax(z_t)[target_t]   over the target positions that are not the ignore index −100
 * </pre>
 * Both stacks have the config's width, layers and heads, and blockSize bounds both S and T. As in
 * {@link Gpt}, pre-LN stacks end in ln_f; post-LN stacks normalise their embeddings instead, as
 * {@link Bert} does. In training the logits are formed a chunk of rows at a time
 * ({@link TiedHeadCrossEntropy}), never as (B, T, V). Gradients flow from the loss through the
 * decoder, and from every cross-attention (∂L/∂m summed over the decoder's blocks) into the encoder.
 *
 * <p>Parameter names are those of the bodies under {@code encoder.} and {@code decoder.}
 * ({@code decoder.h.0.crossattention.q_attn.weight}, …); initialisation is GPT-2's over all of
 * them ({@link TransformerBody#initialise}).
 */
public final class EncoderDecoder implements Model {
    public static final String ENCODER_PREFIX = "encoder.";
    public static final String DECODER_PREFIX = "decoder.";
    private final ModelConfig config;
    private final Parameters params;
    private final TransformerBody encoder;
    private final TransformerBody decoder;
    private final Embedding wte;
    private final TiedHeadCrossEntropy head = new TiedHeadCrossEntropy(new CrossEntropy(), TiedHeadCrossEntropy.CHUNK_LOGITS);

    /** The encoder's output m (B, S, C) and the source padding mask (B·S, null: all real) that masks it. */
    public record Memory(Tensor states, boolean[] valid) {
        public int size() {
            return states.dim(0);
        }
    }

    /** A model initialised from {@code rng}, or left at zeros (unit LayerNorm gains) when it is null. */
    EncoderDecoder(ModelConfig config, Rng rng) {
        this(config, new Parameters());
        if (rng != null) {
            TransformerBody.initialise(rng, params, encoder, decoder);
        }
    }

    private EncoderDecoder(ModelConfig config, Parameters params) {
        this.config = config;
        this.params = params;
        boolean finalNorm = config.norm() == Block.Norm.PRE;
        this.encoder = new TransformerBody(params, ENCODER_PREFIX, config, Attention.Mode.BIDIRECTIONAL, false, finalNorm);
        this.decoder = new TransformerBody(params, DECODER_PREFIX, config, Attention.Mode.CAUSAL, true, finalNorm);
        this.wte = decoder.tokenEmbedding();
    }

    @Override
    public ModelSpec spec() {
        return new ModelSpec(ModelFamily.SEQ2SEQ, config);
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public EncoderDecoder replica() {
        return new EncoderDecoder(config, Parameters.sharingValuesOf(params));
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * Σ_t −log P(target_t | y_≤t, x) over the {@code targets} (B·T) that are not −100, and the
     * gradients of that sum / {@code normaliser} added into every parameter (forward and backward
     * in one). A batch split into micro-batches passes every part the whole batch's
     * {@link #targetWeight}, so the summed gradients are those of the batch mean.
     *
     * @param source the sources x, (B, S) with their padding mask
     * @param inputs the decoder inputs y, (B, T) with their padding mask
     * @return the loss sum and this batch's Σ wᵢ; grad null
     */
    public LossResult lossAndGradient(PaddedSequences source, PaddedSequences inputs, int[] targets, double normaliser, Cache cache) {
        Memory memory = encode(source, cache.child("encoder"));
        Tensor h = decode(memory, inputs, cache.child("decoder"));
        Tensor dh = cache.tensor("dh", h.shape());
        LossResult loss = headLoss(h, targets, normaliser, dh, cache.child("head"));
        Tensor dMemory = cache.zeros("dMemory", memory.states().shape());
        decoder.backward(dh, cache.child("decoder"), dMemory);
        encoder.backward(dMemory, cache.child("encoder"), null);
        return loss;
    }

    /** The loss sum and Σ wᵢ of {@link #lossAndGradient} without gradients and without dropout. */
    public LossResult loss(PaddedSequences source, PaddedSequences inputs, int[] targets) {
        Cache cache = Cache.inference();
        Tensor h = decode(encode(source, cache.child("encoder")), inputs, cache.child("decoder"));
        return headLoss(h, targets, 1, null, cache.child("head"));
    }

    /** Σ wᵢ over {@code targets}: the number of them that count (not the ignore index), validating each. */
    public double targetWeight(int[] targets) {
        return head.crossEntropy().totalWeight(targets, config.vocabSize());
    }

    /** The encoder's output for {@code source}, without gradients: computed once per source when decoding. */
    public Memory encode(PaddedSequences source) {
        return encode(source, Cache.inference());
    }

    /**
     * Logits (B, V) of the token after each of B decoder prefixes (B, T), all of T real tokens,
     * reading {@code memory} of the same B sources: the decoder runs over the whole prefix (there
     * is no key-value cache for blocks with cross-attention), and only the last position of each
     * sequence goes through the head. Inference only.
     */
    public Tensor nextLogits(Memory memory, int[] prefix, int time) {
        int batch = memory.size();
        Tensor h = decoder.forward(prefix, batch, time, null, memory.states(), memory.valid(), Cache.inference());
        int c = config.width();
        int v = config.vocabSize();
        float[] last = new float[batch * c];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(h.data, (b * time + time - 1) * c, last, b * c, c);
        }
        Tensor logits = Tensor.zeros(batch, v);
        Blas.gemm(false, true, batch, v, c, 1f, last, wte.table().value().data, 0f, logits.data);
        return logits;
    }

    private Memory encode(PaddedSequences source, Cache cache) {
        Tensor m = encoder.forward(source.ids(), source.size(), source.time(), source.valid(), null, null, cache);
        return new Memory(m, source.valid());
    }

    private Tensor decode(Memory memory, PaddedSequences inputs, Cache cache) {
        if (inputs.size() != memory.size()) {
            throw new IllegalArgumentException(inputs.size() + " decoder sequences for " + memory.size() + " sources");
        }
        return decoder.forward(inputs.ids(), inputs.size(), inputs.time(), inputs.valid(), memory.states(), memory.valid(), cache);
    }

    /** Σᵢ wᵢ Lᵢ of the tied head over h (B, T, C); with dh non-null also dh = ∂(Σ wᵢ Lᵢ / W)/∂h and ∂E. */
    private LossResult headLoss(Tensor h, int[] targets, double normaliser, Tensor dh, Cache cache) {
        if (targets.length != h.rows()) {
            throw new IllegalArgumentException(targets.length + " targets for " + h.rows() + " decoder positions");
        }
        double weight = targetWeight(targets);
        double sum = head.forward(h.data, targets, h.rows(), config.width(), config.vocabSize(), normaliser,
                wte.table().value().data, null, dh == null ? null : dh.data, wte.table().grad().data, null, cache);
        return new LossResult(sum, weight, null);
    }
}
