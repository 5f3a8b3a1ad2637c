package io.sparklm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sparklm.loss.LossResult;
import io.sparklm.nn.Activation;
import io.sparklm.nn.Block;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Parameter;
import io.sparklm.nn.PositionalEncoding;
import io.sparklm.tensor.Rng;
import org.junit.jupiter.api.Test;

class EncoderDecoderTest {
    /** Vocabulary 7, blockSize 6, 2 layers, 2 heads, width 8, d_ff 16, GELU (smooth, so finite differences hold). */
    private static final ModelConfig PRE_LN = new ModelConfig(7, 6, 2, 2, 8, 16, 0.0, Activation.GELU, Block.Norm.PRE,
            PositionalEncoding.Kind.LEARNED);
    private static final ModelConfig POST_LN = new ModelConfig(7, 6, 2, 2, 8, 16, 0.0, Activation.GELU, Block.Norm.POST,
            PositionalEncoding.Kind.SINUSOIDAL);

    /** Sources [1 2 3] and [4 5 _]; decoder inputs [0 3 4 5] and [0 6 _ _], the targets −100 where padded. */
    private static final PaddedSequences SOURCE = PaddedSequences.rightPadded(new int[][] {{1, 2, 3}, {4, 5}});
    private static final PaddedSequences INPUTS = PaddedSequences.rightPadded(new int[][] {{0, 3, 4, 5}, {0, 6}});
    private static final int[] TARGETS = {3, 4, 5, 0, 6, 0, -100, -100};

    private static EncoderDecoder model(ModelConfig config) {
        return (EncoderDecoder) new ModelSpec(ModelFamily.SEQ2SEQ, config).build(5);
    }

    @Test
    void parametersAreTheEncoderBodyThenTheDecoderBodyWithCrossAttention() {
        EncoderDecoder model = model(PRE_LN);
        assertArrayEquals(new int[] {7, 8}, model.parameters().get("encoder.wte.weight").value().shape());
        assertArrayEquals(new int[] {8, 24}, model.parameters().get("encoder.h.1.attn.c_attn.weight").value().shape());
        assertArrayEquals(new int[] {8, 8}, model.parameters().get("decoder.h.0.crossattention.q_attn.weight").value().shape());
        assertArrayEquals(new int[] {8, 16}, model.parameters().get("decoder.h.0.crossattention.c_attn.weight").value().shape());
        assertEquals(false, model.parameters().contains("encoder.h.0.crossattention.q_attn.weight"));
        assertEquals(true, model.parameters().contains("decoder.ln_f.weight"));
        assertEquals(true, model(POST_LN).parameters().contains("encoder.ln_emb.weight"));
        assertEquals(ModelFamily.SEQ2SEQ, model.spec().family());
    }

    @Test
    void initialisationIsGpt2sOverBothBodiesWithEveryResidualProjectionScaled() {
        EncoderDecoder model = (EncoderDecoder) new ModelSpec(ModelFamily.SEQ2SEQ, ModelConfig.gpt(50, 16, 4, 4, 64)).build(3);
        assertEquals(0.02, std(model.parameters().get("decoder.wte.weight")), 0.002);
        assertEquals(0.02, std(model.parameters().get("encoder.h.0.attn.c_attn.weight")), 0.002);
        assertEquals(0.02 / Math.sqrt(8), std(model.parameters().get("encoder.h.0.attn.c_proj.weight")), 0.001);
        assertEquals(0.02 / Math.sqrt(8), std(model.parameters().get("decoder.h.3.crossattention.c_proj.weight")), 0.001);
        assertEquals(0.02 / Math.sqrt(8), std(model.parameters().get("decoder.h.3.mlp.c_proj.weight")), 0.001);
        assertEquals(0.0, std(model.parameters().get("decoder.h.0.crossattention.q_attn.bias")), 0.0);
    }

    private static double std(Parameter p) {
        double s = 0;
        for (float v : p.value().data) {
            s += v * v;
        }
        return Math.sqrt(s / p.size());
    }

    /**
     * Every parameter, six entries each: the encoder's (reached only through the cross-attention's
     * ∂L/∂memory), the cross-attention's and the decoder's, with padding in both source and target.
     */
    @Test
    void gradientOfTheMeanLossMatchesFiniteDifferencesInEveryParameter() {
        for (ModelConfig config : new ModelConfig[] {PRE_LN, POST_LN}) {
            EncoderDecoder model = model(config);
            Rng init = new Rng(6);
            for (Parameter p : model.parameters().all()) {
                init.fillNormal(p.value(), 0.3);
            }
            double weight = model.targetWeight(TARGETS);
            assertEquals(6, weight);
            model.parameters().zeroGrad();
            model.lossAndGradient(SOURCE, INPUTS, TARGETS, weight, Cache.inference());
            for (Parameter p : model.parameters().all()) {
                for (int k = 0; k < Math.min(6, p.size()); k++) {
                    int i = (k * 7919) % p.size();
                    float saved = p.value().data[i];
                    p.value().data[i] = saved + 1e-2f;
                    double plus = model.loss(SOURCE, INPUTS, TARGETS).mean();
                    p.value().data[i] = saved - 1e-2f;
                    double minus = model.loss(SOURCE, INPUTS, TARGETS).mean();
                    p.value().data[i] = saved;
                    double numeric = (plus - minus) / 2e-2;
                    assertEquals(numeric, p.grad().data[i], 3e-4 + 2e-2 * Math.abs(numeric), config.norm() + " " + p.name() + "[" + i + "]");
                }
            }
            assertNotEquals(0f, model.parameters().get("encoder.h.0.attn.c_attn.weight").grad().data[0]);
        }
    }

    @Test
    void aPaddedShortPairInABatchHasTheLossItHasAlone() {
        EncoderDecoder model = model(PRE_LN);
        int[][] shortPair = {{4, 5}, {6}};
        int[][] longPair = {{1, 2, 3, 4}, {3, 4, 5, 6}};
        LossResult alone = loss(model, shortPair);
        LossResult other = loss(model, longPair);
        LossResult together = loss(model, shortPair, longPair);
        assertEquals(2 + 5, together.weight());
        assertEquals(alone.sum() + other.sum(), together.sum(), 1e-5 * together.sum());
        LossResult swapped = loss(model, longPair, shortPair);
        assertEquals(together.sum(), swapped.sum(), 1e-5 * together.sum());
    }

    /** Teacher forcing by hand: decoder inputs [0, target…], targets [target…, 0], −100 at padding. */
    private static LossResult loss(EncoderDecoder model, int[][]... pairs) {
        int[][] sources = new int[pairs.length][];
        int[][] inputs = new int[pairs.length][];
        for (int b = 0; b < pairs.length; b++) {
            sources[b] = pairs[b][0];
            inputs[b] = new int[pairs[b][1].length + 1];
            System.arraycopy(pairs[b][1], 0, inputs[b], 1, pairs[b][1].length);
        }
        PaddedSequences decoderInputs = PaddedSequences.rightPadded(inputs);
        int[] targets = new int[decoderInputs.ids().length];
        java.util.Arrays.fill(targets, -100);
        for (int b = 0; b < pairs.length; b++) {
            System.arraycopy(pairs[b][1], 0, targets, b * decoderInputs.time(), pairs[b][1].length);
            targets[b * decoderInputs.time() + pairs[b][1].length] = 0;
        }
        return model.loss(PaddedSequences.rightPadded(sources), decoderInputs, targets);
    }

    @Test
    void nextLogitsAreTheLossesPredictionAtTheLastPrefixPosition() {
        EncoderDecoder model = model(PRE_LN);
        PaddedSequences source = PaddedSequences.rightPadded(new int[][] {{1, 2, 3}});
        int[] prefix = {0, 3, 4};
        float[] z = model.nextLogits(model.encode(source), prefix, 3).data;
        double logSumExp = 0;
        for (float v : z) {
            logSumExp += Math.exp(v);
        }
        logSumExp = Math.log(logSumExp);
        int[] onlyLast = {-100, -100, 5};
        double loss = model.loss(source, new PaddedSequences(prefix, null, 1, 3), onlyLast).sum();
        assertEquals(logSumExp - z[5], loss, 1e-5);
    }

    @Test
    void aReplicaSharesValuesAndKeepsGradientsOfItsOwn() {
        EncoderDecoder model = model(PRE_LN);
        EncoderDecoder replica = model.replica();
        model.parameters().zeroGrad();
        replica.parameters().zeroGrad();
        replica.lossAndGradient(SOURCE, INPUTS, TARGETS, 6, Cache.inference());
        assertEquals(model.loss(SOURCE, INPUTS, TARGETS).sum(), replica.loss(SOURCE, INPUTS, TARGETS).sum(), 0);
        assertEquals(0f, model.parameters().get("encoder.wte.weight").grad().data[8]);
        assertNotEquals(0f, replica.parameters().get("encoder.wte.weight").grad().data[8]);
    }
}
