package io.sparklm.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.loss.LossResult;
import io.sparklm.model.ModelConfig;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.ModelSpec;
import io.sparklm.model.PolicyValue;
import io.sparklm.nn.Cache;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProximalPolicyOptimizationTest {
    private static final int IGNORE = CrossEntropy.DEFAULT_IGNORE_INDEX;
    private static final PolicyValue POLICY = (PolicyValue) new ModelSpec(ModelFamily.POLICY, ModelConfig.gpt(12, 8, 1, 2, 8)).build(3);

    @Test
    void aRecordBecomesInputsWithoutTheLastResponseTokenAndActionsAtTheResponsePositions() {
        int[] record = ProximalPolicyOptimization.encode(new int[] {7, 8}, new int[] {9, 10, 11}, new float[] {-1f, -2f, -3f},
                new float[] {.5f, -.5f, 1f}, new float[] {1f, 2f, 3f}, new float[] {.1f, .2f, .3f});
        assertEquals((1 + 2) + 5 * (1 + 3), record.length, "P and the prompt, then R and R ids for each of the five response fields");
        assertEquals(Float.floatToIntBits(-1f), record[8], "after [2, 7, 8, 3, 9, 10, 11, 3]");
        RolloutBatch b = ProximalPolicyOptimization.batch(List.<int[][]>of(Examples.of(record).record(0, ProximalPolicyOptimization.FIELDS)));
        assertArrayEquals(new int[] {7, 8, 9, 10}, b.inputs().ids());
        assertArrayEquals(new int[] {IGNORE, 9, 10, 11}, b.actions());
        assertArrayEquals(new float[] {0, -1f, -2f, -3f}, b.oldLogProb());
        assertArrayEquals(new float[] {0, .5f, -.5f, 1f}, b.advantage());
        assertArrayEquals(new float[] {0, 1f, 2f, 3f}, b.returns());
        assertArrayEquals(new float[] {0, .1f, .2f, .3f}, b.oldValue());
    }

    /** Two rollouts whose old log-probs and values are the policy's own, so every ratio is 1 and no value is clipped. */
    private static Examples onPolicy(float[] advantages, float[] returns) {
        int[][] prompts = {{5, 6}, {7}};
        int[][] responses = {{8, 9}, {10, 11, 5}};
        RolloutBatch probe = ProximalPolicyOptimization.batch(List.of(
                new int[][] {prompts[0], responses[0], new int[2], new int[2], new int[2], new int[2]},
                new int[][] {prompts[1], responses[1], new int[3], new int[3], new int[3], new int[3]}));
        PolicyValue.Outputs out = POLICY.forward(probe.inputs(), probe.actions(), Cache.inference());
        int t = probe.inputs().time();
        int[] records = new int[0];
        int k = 0;
        for (int b = 0; b < 2; b++) {
            int r = responses[b].length;
            int at = b * t + prompts[b].length - 1;
            records = concat(records, ProximalPolicyOptimization.encode(prompts[b], responses[b],
                    java.util.Arrays.copyOfRange(out.logProb(), at, at + r), java.util.Arrays.copyOfRange(advantages, k, k + r),
                    java.util.Arrays.copyOfRange(returns, k, k + r), java.util.Arrays.copyOfRange(out.value(), at, at + r)));
            k += r;
        }
        return Examples.of(records);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void onPolicyTheLossIsMinusMeanAdvantagePlusValueErrorMinusEntropyBonus() {
        float[] advantages = {1f, -2f, .5f, 3f, 0f};
        float[] returns = {0f, 1f, -1f, 2f, .5f};
        Examples examples = onPolicy(advantages, returns);
        ProximalPolicyOptimization ppo = new ProximalPolicyOptimization(0.01);
        RolloutBatch batch = (RolloutBatch) ppo.evaluationBatches(examples, 2, 2).get(0);
        PolicyValue.Outputs out = POLICY.forward(batch.inputs(), batch.actions(), Cache.inference());
        double valueError = 0;
        double entropy = 0;
        for (int i = 0; i < batch.actions().length; i++) {
            if (batch.actions()[i] != IGNORE) {
                valueError += Math.pow(out.value()[i] - batch.returns()[i], 2);
                entropy += out.entropy()[i];
            }
        }
        LossResult loss = ppo.loss(POLICY, batch);
        assertEquals(5, loss.weight(), "one per response token");
        assertEquals(-(1 - 2 + .5 + 3 + 0) / 5.0 + 0.1 * valueError / 5 - 0.01 * entropy / 5, loss.mean(), 1e-5);
        PpoScores scores = ppo.score(POLICY, examples, 2, 2);
        assertEquals(0, scores.figures().get("clip_fraction"));
        assertEquals(0, scores.figures().get("approx_kl"), 1e-7);
        assertEquals(entropy / 5, scores.figures().get("entropy"), 1e-6);
        assertEquals(valueError / 5, scores.figures().get("value_loss"), 1e-6);
    }

    @Test
    void aShiftedOldLogProbCountsAsClippedAndAsApproximateKl() {
        int[] record = ProximalPolicyOptimization.encode(new int[] {5}, new int[] {6}, new float[] {0f}, new float[] {1f},
                new float[] {0f}, new float[] {0f});
        RolloutBatch batch = ProximalPolicyOptimization.batch(List.<int[][]>of(Examples.of(record).record(0, ProximalPolicyOptimization.FIELDS)));
        double logProb = POLICY.forward(batch.inputs(), batch.actions(), Cache.inference()).logProb()[0];
        PpoScores scores = new ProximalPolicyOptimization(0).score(POLICY, Examples.of(record), 1, 1);
        // log π_old = 0: r = π_θ(6), about 1/12, far below 1 − ε
        assertEquals(1, scores.figures().get("clip_fraction"));
        assertEquals(-logProb, scores.figures().get("approx_kl"), 1e-6);
    }
}
