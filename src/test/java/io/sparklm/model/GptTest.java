package io.sparklm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.loss.LossResult;
import io.sparklm.nn.Activation;
import io.sparklm.nn.Block;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Parameter;
import io.sparklm.nn.PositionalEncoding;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GptTest {
    private static final ModelConfig TINY = ModelConfig.gpt(11, 8, 2, 2, 8);

    @Test
    void changingTokensAfterPositionTLeavesEarlierLogitsUnchanged() {
        Gpt gpt = new Gpt(TINY, 1);
        int[] ids = {1, 2, 3, 4, 5, 6, 7, 8};
        Tensor before = gpt.forward(ids, 1, 8, Cache.inference());
        int[] changed = ids.clone();
        for (int i = 5; i < 8; i++) {
            changed[i] = 10 - i;
        }
        Tensor after = gpt.forward(changed, 1, 8, Cache.inference());
        int v = TINY.vocabSize();
        assertArrayEquals(Arrays.copyOf(before.data, 5 * v), Arrays.copyOf(after.data, 5 * v), 0f);
        assertNotEquals(before.data[5 * v], after.data[5 * v]);
    }

    @Test
    void parametersCarryGpt2NamesAndConv1dLayouts() {
        Gpt gpt = new Gpt(TINY, 1);
        assertArrayEquals(new int[] {11, 8}, gpt.parameters().get("transformer.wte.weight").value().shape());
        assertArrayEquals(new int[] {8, 8}, gpt.parameters().get("transformer.wpe.weight").value().shape());
        assertArrayEquals(new int[] {8, 24}, gpt.parameters().get("transformer.h.0.attn.c_attn.weight").value().shape());
        assertArrayEquals(new int[] {8, 32}, gpt.parameters().get("transformer.h.1.mlp.c_fc.weight").value().shape());
        assertArrayEquals(new int[] {32, 8}, gpt.parameters().get("transformer.h.1.mlp.c_proj.weight").value().shape());
        assertArrayEquals(new int[] {8}, gpt.parameters().get("transformer.ln_f.bias").value().shape());
        assertTrue(gpt.parameters().get("transformer.h.0.attn.c_attn.weight").decay());
        assertTrue(!gpt.parameters().get("transformer.wte.weight").decay());
    }

    @Test
    void initialisationFollowsGpt2() {
        Gpt gpt = new Gpt(ModelConfig.gpt(50, 16, 4, 4, 64), 3);
        assertEquals(0.02, std(gpt.parameters().get("transformer.h.0.attn.c_attn.weight")), 0.002);
        assertEquals(0.02 / Math.sqrt(8), std(gpt.parameters().get("transformer.h.0.attn.c_proj.weight")), 0.001);
        assertEquals(0.0, std(gpt.parameters().get("transformer.h.0.attn.c_attn.bias")), 0.0);
        assertEquals(1f, gpt.parameters().get("transformer.h.0.ln_1.weight").value().data[0], 0f);
    }

    private static double std(Parameter p) {
        double s = 0;
        for (float v : p.value().data) {
            s += v * v;
        }
        return Math.sqrt(s / p.size());
    }

    /** Three and four blocks too: blocks i and i + 2 share their gradient buffers (Cache#child(String, int)); GELU at depth, where ReLU kinks would spoil the differences. */
    @Test
    void wholeModelGradientMatchesFiniteDifferences() {
        for (ModelConfig cfg : new ModelConfig[] {TINY, ModelConfig.gpt(11, 8, 4, 2, 8),
                new ModelConfig(7, 6, 2, 2, 4, 12, 0.0, Activation.RELU, Block.Norm.POST, PositionalEncoding.Kind.SINUSOIDAL),
                new ModelConfig(7, 6, 3, 2, 4, 12, 0.0, Activation.GELU, Block.Norm.POST, PositionalEncoding.Kind.SINUSOIDAL)}) {
            Gpt gpt = new Gpt(cfg, 5);
            Rng init = new Rng(6);
            for (Parameter p : gpt.parameters().all()) {
                init.fillNormal(p.value(), 0.3);
            }
            int[] ids = {1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5};
            Tensor w = Tensor.zeros(2, 6, cfg.vocabSize());
            new Rng(8).fillNormal(w, 1.0);
            gpt.parameters().zeroGrad();
            Cache cache = Cache.inference();
            gpt.forward(ids, 2, 6, cache);
            gpt.backward(w, cache);
            for (Parameter p : gpt.parameters().all()) {
                for (int k = 0; k < Math.min(6, p.size()); k++) {
                    int i = (k * 7919) % p.size();
                    float saved = p.value().data[i];
                    p.value().data[i] = saved + 1e-2f;
                    double plus = dot(gpt.forward(ids, 2, 6, Cache.inference()), w);
                    p.value().data[i] = saved - 1e-2f;
                    double minus = dot(gpt.forward(ids, 2, 6, Cache.inference()), w);
                    p.value().data[i] = saved;
                    double numeric = (plus - minus) / 2e-2;
                    assertEquals(numeric, p.grad().data[i], 3e-3 + 2e-2 * Math.abs(numeric), p.name() + "[" + i + "]");
                }
            }
        }
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data[i] * b.data[i];
        }
        return s;
    }

    @Test
    void fusedHeadLossAndGradientsEqualLogitsThenCrossEntropyThenBackward() {
        Gpt gpt = new Gpt(TINY, 3);
        int[] ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 2, 3, 4, 5};
        int[] targets = {2, 3, 4, -100, 6, 7, 8, 9, 10, 0, 1, 2, -100, 4, 5, 6};
        gpt.parameters().zeroGrad();
        Cache unfused = Cache.inference();
        LossResult reference = new CrossEntropy().compute(gpt.forward(ids, 2, 8, unfused), targets);
        gpt.backward(reference.grad(), unfused);
        float[] referenceGrad = gpt.parameters().flattenGrad();

        gpt.parameters().zeroGrad();
        Cache fused = Cache.inference();
        LossResult loss = gpt.forwardLoss(ids, targets, 2, 8, gpt.targetWeight(targets), fused);
        gpt.backward(fused);
        assertEquals(14, loss.weight());
        assertEquals(reference.sum(), loss.sum(), 1e-5 * Math.abs(reference.sum()));
        assertArrayEquals(referenceGrad, gpt.parameters().flattenGrad(), 1e-6f);
        assertEquals(reference.sum(), gpt.loss(ids, targets, 2, 8).sum(), 1e-5 * Math.abs(reference.sum()));
    }

    @Test
    void fusedHeadGradientOfTheMeanLossMatchesFiniteDifferences() {
        Gpt gpt = new Gpt(TINY, 5);
        Rng init = new Rng(6);
        for (Parameter p : gpt.parameters().all()) {
            init.fillNormal(p.value(), 0.3);
        }
        int[] ids = {1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5};
        int[] targets = {2, 3, -100, 5, 6, 0, 1, 2, 3, 4, -100, 6};
        gpt.parameters().zeroGrad();
        Cache cache = Cache.inference();
        gpt.forwardLoss(ids, targets, 2, 6, gpt.targetWeight(targets), cache);
        gpt.backward(cache);
        for (Parameter p : gpt.parameters().all()) {
            for (int k = 0; k < Math.min(6, p.size()); k++) {
                int i = (k * 7919) % p.size();
                float saved = p.value().data[i];
                p.value().data[i] = saved + 1e-2f;
                double plus = gpt.loss(ids, targets, 2, 6).mean();
                p.value().data[i] = saved - 1e-2f;
                double minus = gpt.loss(ids, targets, 2, 6).mean();
                p.value().data[i] = saved;
                double numeric = (plus - minus) / 2e-2;
                assertEquals(numeric, p.grad().data[i], 3e-4 + 2e-2 * Math.abs(numeric), p.name() + "[" + i + "]");
            }
        }
    }

    @Test
    void aCacheKeptBetweenPassesReusesItsBuffersAndGivesFreshCachesGradients() {
        Gpt gpt = new Gpt(TINY, 3);
        int[] ids = {1, 2, 3, 4, 5, 6, 7, 8};
        int[] targets = {2, 3, 4, 5, 6, 7, 8, 9};
        Cache kept = Cache.inference();
        float[][] grads = new float[3][];
        Object[] hidden = new Object[3];
        for (int pass = 0; pass < 3; pass++) {
            Cache cache = pass == 2 ? Cache.inference() : kept;
            gpt.parameters().zeroGrad();
            gpt.forwardLoss(ids, targets, 1, 8, 8, cache);
            gpt.backward(cache);
            grads[pass] = gpt.parameters().flattenGrad();
            hidden[pass] = cache.get("h");
        }
        assertTrue(hidden[0] == hidden[1] && hidden[1] != hidden[2]);
        assertArrayEquals(grads[2], grads[0], 0f);
        assertArrayEquals(grads[2], grads[1], 0f);
    }

    @Test
    void attentionScoresBeyondOneArrayAreRejectedNamingTheSizesAndWhatToReduce() {
        Gpt gpt = new Gpt(ModelConfig.gpt(11, 8192, 1, 64, 64), 1);
        int[] ids = new int[8192];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gpt.loss(ids, ids, 1, 8192));
        assertTrue(e.getMessage().contains("B·H·T·T") && e.getMessage().contains("1·64·8192·8192 = 4294967296")
                && e.getMessage().contains("train.batchSize or model.blockSize"), e.getMessage());
    }

    @Test
    void badConfigurationsAreRejectedNamingTheKey() {
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class, () -> ModelConfig.gpt(10, 8, 2, 3, 8));
        assertTrue(heads.getMessage().contains("model.heads"), heads.getMessage());
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class, () -> ModelConfig.gpt(10, 8, 2, 2, 0));
        assertTrue(width.getMessage().contains("model.width"), width.getMessage());
        IllegalArgumentException layers = assertThrows(IllegalArgumentException.class, () -> ModelConfig.gpt(10, 8, -1, 2, 8));
        assertTrue(layers.getMessage().contains("model.layers"), layers.getMessage());
    }

    @Test
    void sequencesLongerThanTheBlockOrIdsOutsideTheVocabularyAreRejected() {
        Gpt gpt = new Gpt(TINY, 1);
        assertThrows(IllegalArgumentException.class, () -> gpt.forward(new int[9], 1, 9, Cache.inference()));
        IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
                () -> gpt.forward(new int[] {1, 11}, 1, 2, Cache.inference()));
        assertTrue(id.getMessage().contains("11"), id.getMessage());
    }
}
