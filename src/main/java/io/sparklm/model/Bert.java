package io.sparklm.model;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.loss.LossResult;
import io.sparklm.nn.Attention;
import io.sparklm.nn.Cache;
import io.sparklm.nn.LayerNorm;
import io.sparklm.nn.Linear;
import io.sparklm.nn.Parameter;
import io.sparklm.nn.Parameters;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;

/**
 * Encoder-only transformer with BERT's masked-LM head (Devlin et al., 2019):
 * ids → bidirectional {@link TransformerBody} (post-LN with the embeddings normalised, as BERT;
 * pre-LN with ln_f as an option) → h (B, T, C), and at the selected positions S only
 * <pre>
 *   u = LN(act(h_S·W + b))              cls.transform: dense [C, C], GELU, LayerNorm
 *   z = u·Eᵀ + β                        decoder tied to the token embedding E, output bias β (V)
 *   L = −(1/|S|) Σ_{t∈S} log softmax(z_t)[x_t]
 * </pre>
 * The positions outside S get no logits and no gradient; |S| = 0 gives loss 0 and weight 0.
 * Internal names are {@code bert.*} (the body) and {@code cls.*}; {@link HuggingFaceBert} writes
 * them with the tensor names and layouts of Hugging Face's {@code BertForMaskedLM}.
 */
public final class Bert implements Model {
    public static final String PREFIX = "bert.";
    private final ModelConfig config;
    private final Parameters params;
    private final TransformerBody body;
    private final Linear transform;
    private final LayerNorm transformNorm;
    private final Parameter outputBias;
    private final TiedHeadCrossEntropy head = new TiedHeadCrossEntropy(new CrossEntropy(), TiedHeadCrossEntropy.CHUNK_LOGITS);

    /** A model initialised from {@code rng} (GPT-2's scheme, see {@link TransformerBody#initialise}), or left at zeros when null. */
    Bert(ModelConfig config, Rng rng) {
        this(config, new Parameters());
        if (rng != null) {
            TransformerBody.initialise(rng, params, body);
        }
    }

    private Bert(ModelConfig config, Parameters params) {
        this.config = config;
        this.params = params;
        this.body = new TransformerBody(params, PREFIX, config, Attention.Mode.BIDIRECTIONAL, false,
                config.norm() == io.sparklm.nn.Block.Norm.PRE);
        this.transform = new Linear(params, "cls.transform.dense", config.width(), config.width(), true);
        this.transformNorm = new LayerNorm(params, "cls.transform.ln", config.width());
        this.outputBias = params.add("cls.bias", false, config.vocabSize());
    }

    @Override
    public ModelSpec spec() {
        return new ModelSpec(ModelFamily.ENCODER, config);
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public Bert replica() {
        return new Bert(config, Parameters.sharingValuesOf(params));
    }

    public ModelConfig config() {
        return config;
    }

    TransformerBody body() {
        return body;
    }

    Linear transform() {
        return transform;
    }

    LayerNorm transformNorm() {
        return transformNorm;
    }

    Parameter outputBias() {
        return outputBias;
    }

    /** Hidden states (B, T, C) of ids whose real tokens {@code valid} marks (null: all), without gradients. */
    public Tensor hidden(int[] ids, boolean[] valid, int batch, int time) {
        return body.forward(ids, batch, time, valid, null, null, Cache.inference());
    }

    /**
     * Σ_{t∈S} −log P(x_t | x̃) over the positions whose target is not the ignore index −100, and the
     * gradients of that sum / {@code normaliser} in every parameter (forward and backward in one).
     *
     * @param ids     the masked inputs x̃ (B·T)
     * @param valid   which positions are real tokens (B·T), or null for all
     * @param targets the original token at selected positions, −100 elsewhere (B·T)
     * @return the loss sum and |S|; grad null
     */
    public LossResult lossAndGradient(int[] ids, boolean[] valid, int[] targets, int batch, int time, double normaliser,
                                      Cache cache) {
        Tensor h = body.forward(ids, batch, time, valid, null, null, cache);
        Selected s = select(h, targets);
        Tensor dh = cache.zeros("dh", h.shape());
        if (s.rows() > 0) {
            Cache headCache = cache.child("cls");
            Tensor u = transformed(s.hidden(), headCache);
            Tensor du = Tensor.zeros(u.shape());
            double sum = head.forward(u.data, s.targets(), s.rows(), config.width(), config.vocabSize(), normaliser,
                    body.tokenEmbedding().table().value().data, outputBias.value().data, du.data,
                    body.tokenEmbedding().table().grad().data, outputBias.grad().data, headCache.child("decoder"));
            Tensor dSelected = transformBackward(du, headCache);
            int c = config.width();
            for (int r = 0; r < s.rows(); r++) {
                System.arraycopy(dSelected.data, r * c, dh.data, s.positions()[r] * c, c);
            }
            body.backward(dh, cache, null);
            return new LossResult(sum, s.rows(), null);
        }
        body.backward(dh, cache, null);
        return new LossResult(0, 0, null);
    }

    /** The loss sum and |S| without gradients. */
    public LossResult loss(int[] ids, boolean[] valid, int[] targets, int batch, int time) {
        Cache cache = Cache.inference();
        Selected s = select(body.forward(ids, batch, time, valid, null, null, cache), targets);
        if (s.rows() == 0) {
            return new LossResult(0, 0, null);
        }
        Tensor u = transformed(s.hidden(), cache.child("cls"));
        double sum = head.forward(u.data, s.targets(), s.rows(), config.width(), config.vocabSize(), 1,
                body.tokenEmbedding().table().value().data, outputBias.value().data, null, null, null, cache.child("decoder"));
        return new LossResult(sum, s.rows(), null);
    }

    /** |S|: the targets that count, validating each. */
    public double targetWeight(int[] targets) {
        return head.crossEntropy().totalWeight(targets, config.vocabSize());
    }

    /** Rows of h at the selected positions, their targets and where they came from. */
    private record Selected(Tensor hidden, int[] targets, int[] positions) {
        int rows() {
            return targets.length;
        }
    }

    private static Selected select(Tensor h, int[] targets) {
        if (targets.length != h.dim(0) * h.dim(1)) {
            throw new IllegalArgumentException(targets.length + " targets for " + h.dim(0) * h.dim(1) + " positions");
        }
        int n = 0;
        for (int t : targets) {
            if (t != CrossEntropy.DEFAULT_IGNORE_INDEX) {
                n++;
            }
        }
        int c = h.dim(2);
        int[] selectedTargets = new int[n];
        int[] positions = new int[n];
        Tensor rows = Tensor.zeros(Math.max(n, 1), c);
        int r = 0;
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] != CrossEntropy.DEFAULT_IGNORE_INDEX) {
                System.arraycopy(h.data, i * c, rows.data, r * c, c);
                selectedTargets[r] = targets[i];
                positions[r++] = i;
            }
        }
        return new Selected(n == 0 ? rows : rows.reshape(n, c), selectedTargets, positions);
    }

    /** u = LN(act(x·W + b)) for x (N, C). */
    private Tensor transformed(Tensor x, Cache cache) {
        Tensor a = transform.forward(x, cache.child("dense"));
        Tensor act = Tensor.zeros(a.shape());
        Tensor derivative = Tensor.zeros(a.shape());
        config.activation().forward(a.data, act.data, derivative.data, a.size());
        cache.put("derivative", derivative);
        return transformNorm.forward(act, cache.child("ln"));
    }

    private Tensor transformBackward(Tensor du, Cache cache) {
        Tensor dAct = transformNorm.backward(du, cache.child("ln"));
        Tensor derivative = cache.get("derivative");
        Tensor da = Tensor.zeros(dAct.shape());
        io.sparklm.tensor.Kernels.multiply(dAct.data, derivative.data, da.data, da.size());
        return transform.backward(da, cache.child("dense"));
    }
}
