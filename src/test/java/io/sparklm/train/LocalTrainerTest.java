package io.sparklm.train;

import io.sparklm.data.tokenizer.CharTokenizer;
import io.sparklm.loss.CausalLm;
import io.sparklm.objective.BatchSampler;
import io.sparklm.objective.Examples;
import io.sparklm.objective.TokenBatch;
import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.nn.Cache;
import io.sparklm.optim.AdamW;
import io.sparklm.optim.Schedule;
import io.sparklm.tensor.SafeTensors;
import io.sparklm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalTrainerTest {
    private static final String SENTENCE = "the quick brown fox jumps over the lazy dog.";

    private static LocalTrainer trainer(Gpt model, double lr, long seed) {
        return new LocalTrainer(model, new AdamW(0.9, 0.99, 1e-8, 0.0),
                new LocalTrainer.Settings(4, Schedule.constant(lr), 1.0, seed));
    }

    @Test
    void aTinyModelOverfitsOneSentenceBelowFiveHundredthsOfANat() {
        CharTokenizer tok = CharTokenizer.fit(SENTENCE);
        int[] ids = tok.encode(SENTENCE);
        int block = ids.length - 1;
        Gpt model = new Gpt(ModelConfig.gpt(tok.vocabSize(), block, 2, 2, 32), 1);
        LocalTrainer trainer = trainer(model, 1e-2, 2);
        Examples sampler = Examples.of(ids);
        for (int i = 0; i < 300; i++) {
            trainer.trainStep(sampler);
        }
        double loss = trainer.evaluate(ids, 1).mean();
        assertTrue(loss < 0.05, "loss after 300 steps: " + loss);
    }

    @Test
    void stepsWithTheSameSeedGiveIdenticalParametersAndDifferentSeedsDoNot() {
        int[] ids = CharTokenizer.fit(SENTENCE).encode(SENTENCE);
        ModelConfig cfg = ModelConfig.gpt(30, 8, 1, 2, 16).withDropout(0.1);
        float[][] results = new float[3][];
        long[] seeds = {5, 5, 6};
        for (int run = 0; run < 3; run++) {
            Gpt model = new Gpt(cfg, 1);
            LocalTrainer t = trainer(model, 1e-3, seeds[run]);
            Examples sampler = Examples.of(ids);
            for (int i = 0; i < 5; i++) {
                t.trainStep(sampler, 0, 3);
            }
            results[run] = model.parameters().flatten();
        }
        assertArrayEquals(results[0], results[1], 0f);
        assertTrue(!java.util.Arrays.equals(results[0], results[2]));
    }

    @Test
    void savingThenLoadingAModelGivesIdenticalLogits(@TempDir Path dir) throws IOException {
        CharTokenizer tok = CharTokenizer.fit(SENTENCE);
        Gpt model = new Gpt(ModelConfig.gpt(tok.vocabSize(), 16, 2, 2, 16), 9);
        ModelDirectory.save(dir, model, tok);
        ModelDirectory.Loaded loaded = ModelDirectory.load(dir);
        int[] ids = tok.encode("the lazy dog");
        Tensor before = model.forward(ids, 1, ids.length, Cache.inference());
        Tensor after = loaded.decoder("test").forward(loaded.tokenizer().encode("the lazy dog"), 1, ids.length, Cache.inference());
        assertArrayEquals(before.data, after.data, 0f);
        assertEquals(model.spec(), loaded.model().spec());
    }

    @Test
    void savedTensorsUseGpt2NamesAndConv1dLayout(@TempDir Path dir) throws IOException {
        CharTokenizer tok = CharTokenizer.fit(SENTENCE);
        Gpt model = new Gpt(ModelConfig.gpt(tok.vocabSize(), 16, 1, 2, 8), 9);
        ModelDirectory.save(dir, model, tok);
        Map<String, Tensor> tensors = SafeTensors.read(dir.resolve(ModelDirectory.MODEL_FILE)).tensors();
        assertArrayEquals(new int[] {8, 24}, tensors.get("transformer.h.0.attn.c_attn.weight").shape());
        assertArrayEquals(new int[] {tok.vocabSize(), 8}, tensors.get("transformer.wte.weight").shape());
        assertTrue(tensors.containsKey("transformer.ln_f.weight"));
    }

    @Test
    void aModelFileWithAMissingOrMisShapedTensorIsRejectedNamingIt(@TempDir Path dir) throws IOException {
        CharTokenizer tok = CharTokenizer.fit(SENTENCE);
        Gpt model = new Gpt(ModelConfig.gpt(tok.vocabSize(), 16, 1, 2, 8), 9);
        ModelDirectory.save(dir, model, tok);
        Path file = dir.resolve(ModelDirectory.MODEL_FILE);
        SafeTensors saved = SafeTensors.read(file);

        Map<String, Tensor> missing = new LinkedHashMap<>(saved.tensors());
        missing.remove("transformer.h.0.mlp.c_fc.bias");
        new SafeTensors(missing, saved.metadata()).write(file);
        IOException e1 = assertThrows(IOException.class, () -> ModelDirectory.load(dir));
        assertTrue(e1.getMessage().contains("transformer.h.0.mlp.c_fc.bias"), e1.getMessage());

        Map<String, Tensor> misShaped = new LinkedHashMap<>(saved.tensors());
        misShaped.put("transformer.h.0.attn.c_attn.weight", Tensor.zeros(24, 8));
        new SafeTensors(misShaped, saved.metadata()).write(file);
        IOException e2 = assertThrows(IOException.class, () -> ModelDirectory.load(dir));
        assertTrue(e2.getMessage().contains("transformer.h.0.attn.c_attn.weight"), e2.getMessage());
    }

    @Test
    void aBlockLongerThanTheTextIsRejected() {
        int[] ids = new int[10];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BatchSampler(ids, 2, 64));
        assertTrue(e.getMessage().contains("blockSize"), e.getMessage());
        Gpt model = new Gpt(ModelConfig.gpt(4, 64, 1, 1, 4), 1);
        assertThrows(IllegalArgumentException.class, () -> trainer(model, 1e-3, 1).evaluate(ids, 5));
    }

    @Test
    void evaluationIsTheTokenWeightedMeanOverBlocks() {
        Gpt model = new Gpt(ModelConfig.gpt(5, 3, 1, 1, 4), 1);
        LocalTrainer t = trainer(model, 1e-3, 1);
        int[] ids = {1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2};
        double a = t.loss(TokenBatch.of(CausalLm.batch(java.util.Arrays.copyOfRange(ids, 0, 4), 3))).mean();
        double b = t.loss(TokenBatch.of(CausalLm.batch(java.util.Arrays.copyOfRange(ids, 4, 8), 3))).mean();
        double c = t.loss(TokenBatch.of(CausalLm.batch(java.util.Arrays.copyOfRange(ids, 8, 12), 3))).mean();
        assertEquals((a + b + c) / 3, t.evaluate(ids, 10).mean(), 1e-6);
        assertEquals((a + b) / 2, t.evaluate(ids, 2).mean(), 1e-6);
    }
}
