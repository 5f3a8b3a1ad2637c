package io.sparklm.rlhf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklm.LocalSpark;
import io.sparklm.objective.Examples;
import io.sparklm.objective.ProximalPolicyOptimization;
import io.sparklm.objective.RolloutBatch;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class PpoIterationTest {
    /** The reward: how many times token 5 occurs in the response. */
    private static float[] fives(List<Rollouts.Rollout> rollouts) {
        float[] s = new float[rollouts.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = java.util.Arrays.stream(rollouts.get(i).response()).filter(t -> t == 5).count();
        }
        return s;
    }

    @Test
    void rolloutsBecomeRecordsWithWhitenedAdvantagesRawReturnsAndAnUpdatedBeta() {
        List<Rollouts.Rollout> rollouts = Rollouts.sample(JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext()),
                RolloutsTest.prompts(), RolloutsTest.POLICY, RolloutsTest.REFERENCE, RolloutsTest.SETTINGS, 7, 1).collect();
        KlController.Adaptive kl = new KlController.Adaptive(0.1, 6, 100);
        PpoIteration.Result result = PpoIteration.records(rollouts, PpoIterationTest::fives, kl, 1, 0.95);

        Examples examples = Examples.of(result.records());
        assertEquals(rollouts.size(), examples.records(ProximalPolicyOptimization.FIELDS));
        double advantageSum = 0;
        int tokens = 0;
        float[] score = fives(rollouts);
        for (int i = 0; i < rollouts.size(); i++) {
            Rollouts.Rollout r = rollouts.get(i);
            RolloutBatch b = ProximalPolicyOptimization.batch(List.<int[][]>of(examples.record(i, ProximalPolicyOptimization.FIELDS)));
            int from = r.prompt().length - 1;
            int n = r.response().length;
            float[] raw = Advantages.gae(Advantages.rewards(r.logProb(), r.refLogProb(), score[i], 0.1), r.value(), 1, 0.95).advantages();
            float[] returns = new float[n];
            for (int t = 0; t < n; t++) {
                returns[t] = raw[t] + r.value()[t];
                advantageSum += b.advantage()[from + t];
            }
            tokens += n;
            assertArrayEquals(returns, java.util.Arrays.copyOfRange(b.returns(), from, from + n), 1e-6f, "R = A + V with the raw A");
            assertArrayEquals(r.logProb(), java.util.Arrays.copyOfRange(b.oldLogProb(), from, from + n));
            assertArrayEquals(r.value(), java.util.Arrays.copyOfRange(b.oldValue(), from, from + n));
        }
        assertEquals(0, advantageSum / tokens, 1e-6, "whitened over the iteration");
        float[][] logProb = rollouts.stream().map(Rollouts.Rollout::logProb).toArray(float[][]::new);
        float[][] refLogProb = rollouts.stream().map(Rollouts.Rollout::refLogProb).toArray(float[][]::new);
        assertEquals(Advantages.meanSequenceKl(logProb, refLogProb), result.meanKl(), 1e-12);
        assertEquals(kl.update(result.meanKl(), rollouts.size()).beta(), result.kl().beta(), 1e-15);
    }
}
