package io.sparklm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.loss.Ppo;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Parameter;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PolicyValueTest {
    private static final ModelConfig CONFIG = ModelConfig.gpt(11, 8, 2, 2, 8);
    private static final int IGNORE = CrossEntropy.DEFAULT_IGNORE_INDEX;
    /** Two right-padded sequences: 5 tokens, and 3 tokens then 2 pads; actions at positions 1–3 and 0–1. */
    private static final PaddedSequences SEQUENCES = PaddedSequences.rightPadded(new int[][] {{3, 1, 4, 1, 5}, {9, 2, 6}});
    private static final int[] ACTIONS = {IGNORE, 4, 1, 5, IGNORE, 2, 6, IGNORE, IGNORE, IGNORE};

    private static PolicyValue policyStartedFrom(Gpt gpt) {
        PolicyValue policy = (PolicyValue) new ModelSpec(ModelFamily.POLICY, CONFIG).build(2);
        for (Parameter p : gpt.parameters().all()) {
            System.arraycopy(p.value().data, 0, policy.parameters().get(p.name()).value().data, 0, p.size());
        }
        return policy;
    }

    @Test
    void aGptsTensorsStartEveryParameterButTheValueHead() {
        Gpt gpt = new Gpt(CONFIG, 1);
        PolicyValue policy = (PolicyValue) new ModelSpec(ModelFamily.POLICY, CONFIG).build(2);
        long notInGpt = policy.parameters().all().stream().filter(p -> !gpt.parameters().contains(p.name())).count();
        assertEquals(2, notInGpt, "value_head.weight and value_head.bias");
        assertTrue(gpt.parameters().all().stream().allMatch(p -> policy.parameters().get(p.name()).value().sameShape(p.value())));
        assertEquals(java.util.List.of(8, 1), java.util.Arrays.stream(policy.parameters().get("value_head.weight").value().shape()).boxed().toList());
    }

    @Test
    void logProbAndEntropyAreThoseOfTheGptsLogitsAtScoredPositions() {
        Gpt gpt = new Gpt(CONFIG, 1);
        PolicyValue policy = policyStartedFrom(gpt);
        PolicyValue.Outputs out = policy.forward(SEQUENCES, ACTIONS, Cache.inference());
        int v = CONFIG.vocabSize();
        for (int b = 0; b < 2; b++) {
            int length = b == 0 ? 5 : 3;
            int[] ids = java.util.Arrays.copyOfRange(SEQUENCES.ids(), b * 5, b * 5 + length);
            Tensor logits = gpt.forward(ids, 1, length, Cache.inference());
            for (int t = 0; t < length; t++) {
                int i = b * 5 + t;
                float[] row = java.util.Arrays.copyOfRange(logits.data, t * v, (t + 1) * v);
                double entropy = Ppo.entropyOfLogits(Tensor.of(row.clone(), 1, v)).sum();
                if (ACTIONS[i] == IGNORE) {
                    assertEquals(0f, out.logProb()[i]);
                    continue;
                }
                logSoftmax(row);
                assertEquals(row[ACTIONS[i]], out.logProb()[i], 1e-5, "log π at " + i);
                assertEquals(entropy, out.entropy()[i], 1e-5, "H at " + i);
            }
        }
    }

    /** z − logsumexp(z) in place, the expected log-probabilities. */
    static void logSoftmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : z) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : z) {
            sum += Math.exp(x - max);
        }
        double lse = max + Math.log(sum);
        for (int j = 0; j < z.length; j++) {
            z[j] = (float) (z[j] - lse);
        }
    }

    @Test
    void theDecoderSamplesFromTheSameDistribution() {
        PolicyValue policy = (PolicyValue) new ModelSpec(ModelFamily.POLICY, CONFIG).build(3);
        Tensor next = policy.decoder(1).append(0, new int[] {3, 1, 4});
        PolicyValue.Outputs out = policy.forward(PaddedSequences.rightPadded(new int[][] {{3, 1, 4}}), new int[] {IGNORE, IGNORE, 7},
                Cache.inference());
        float[] row = next.data.clone();
        logSoftmax(row);
        assertEquals(row[7], out.logProb()[2], 1e-5);
    }

    /** L = Σ aᵢ log πᵢ + bᵢ Hᵢ + cᵢ Vᵢ with fixed random a, b, c over the real positions. */
    private static double objective(PolicyValue policy, float[] a, float[] b, float[] c) {
        PolicyValue.Outputs out = policy.forward(SEQUENCES, ACTIONS, Cache.inference());
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * out.logProb()[i] + b[i] * out.entropy()[i] + c[i] * out.value()[i];
        }
        return sum;
    }

    @Test
    void backwardIsTheGradientOfLogProbEntropyAndValue() {
        PolicyValue policy = (PolicyValue) new ModelSpec(ModelFamily.POLICY, CONFIG).build(4);
        Rng rng = new Rng(5);
        for (Parameter p : policy.parameters().all()) {
            for (int i = 0; i < p.size(); i++) {
                p.value().data[i] += (float) (0.2 * rng.nextGaussian());
            }
        }
        int n = ACTIONS.length;
        float[] a = new float[n];
        float[] b = new float[n];
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            boolean real = SEQUENCES.valid()[i];
            a[i] = real ? (float) rng.nextGaussian() : 0;
            b[i] = real ? (float) rng.nextGaussian() : 0;
            c[i] = real ? (float) rng.nextGaussian() : 0;
        }
        Cache cache = Cache.inference();
        policy.parameters().zeroGrad();
        policy.forward(SEQUENCES, ACTIONS, cache);
        policy.backward(a, b, c, cache);
        int checked = 0;
        for (Parameter p : policy.parameters().all()) {
            for (int k = 0; k < Math.min(6, p.size()); k++) {
                int i = (k * 7919) % p.size();
                float saved = p.value().data[i];
                p.value().data[i] = saved + 5e-3f;
                double plus = objective(policy, a, b, c);
                p.value().data[i] = saved - 5e-3f;
                double minus = objective(policy, a, b, c);
                p.value().data[i] = saved;
                double numeric = (plus - minus) / 1e-2;
                assertEquals(numeric, p.grad().data[i], 2e-3 + 1e-2 * Math.abs(numeric), p.name() + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked > 50);
    }
}
