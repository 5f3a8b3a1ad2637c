package io.sparklm.rlhf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.LocalSpark;
import io.sparklm.data.shard.RecordLayout;
import io.sparklm.loss.CrossEntropy;
import io.sparklm.model.ModelConfig;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.ModelSpec;
import io.sparklm.model.PaddedSequences;
import io.sparklm.model.PolicyValue;
import io.sparklm.nn.Cache;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class RolloutsTest {
    private static final ModelSpec SPEC = new ModelSpec(ModelFamily.POLICY, ModelConfig.gpt(12, 8, 1, 2, 8));
    static final PolicyValue POLICY = (PolicyValue) SPEC.build(1);
    static final PolicyValue REFERENCE = (PolicyValue) SPEC.build(2);
    /** End id 2; at most 5 tokens, so prompts keep their last 8 + 1 − 5 = 4 tokens. */
    static final Rollouts.Settings SETTINGS = new Rollouts.Settings(5, 2, 1);

    /** Prompt records of one field: partition 0 holds three prompts, partition 1 two (one longer than 4 tokens). */
    static JavaRDD<int[]> prompts() {
        int[] first = concat(RecordLayout.encode(new int[] {5, 6}), RecordLayout.encode(new int[] {7}), RecordLayout.encode(new int[] {8, 9, 10}));
        int[] second = concat(RecordLayout.encode(new int[] {3, 4, 5, 6, 7, 8}), RecordLayout.encode(new int[] {11}));
        return JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext()).parallelize(List.of(first, second), 2);
    }

    static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    private static List<Rollouts.Rollout> sample(int iteration) {
        return Rollouts.sample(JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext()), prompts(), POLICY, REFERENCE, SETTINGS,
                7, iteration).collect();
    }

    @Test
    void aRetriedPartitionGivesIdenticalRolloutsAndAnotherIterationOthers() {
        List<Rollouts.Rollout> once = sample(3);
        List<Rollouts.Rollout> again = sample(3);
        assertEquals(5, once.size());
        for (int i = 0; i < once.size(); i++) {
            assertArrayEquals(once.get(i).response(), again.get(i).response());
            assertArrayEquals(once.get(i).logProb(), again.get(i).logProb());
            assertArrayEquals(once.get(i).refLogProb(), again.get(i).refLogProb());
            assertArrayEquals(once.get(i).value(), again.get(i).value());
        }
        List<Rollouts.Rollout> retried = Rollouts.partition(POLICY, REFERENCE, prompts().collect().get(1), SETTINGS, 7, 3, 1);
        assertArrayEquals(once.get(3).response(), retried.get(0).response(), "partition 1 alone, as a retried task runs it");
        List<Rollouts.Rollout> other = sample(4);
        assertTrue(java.util.stream.IntStream.range(0, 5).anyMatch(i -> !Arrays.equals(once.get(i).response(), other.get(i).response())));
    }

    @Test
    void responsesStopAtTheEndIdOrMaxTokensAndPromptsKeepTheirLastTokens() {
        for (Rollouts.Rollout r : sample(3)) {
            int n = r.response().length;
            assertTrue(n >= 1 && n <= 5);
            assertTrue(n == 5 || r.response()[n - 1] == 2, "a short response ends with the end id");
            assertTrue(Arrays.stream(r.response(), 0, n - 1).noneMatch(t -> t == 2));
            assertEquals(n, r.logProb().length);
        }
        assertArrayEquals(new int[] {5, 6, 7, 8}, sample(3).get(3).prompt());
    }

    @Test
    void recordedLogProbsAndValuesAreThoseOfAFullForward() {
        for (Rollouts.Rollout r : sample(3)) {
            int p = r.prompt().length;
            int n = r.response().length;
            int[] inputs = concat(r.prompt(), Arrays.copyOf(r.response(), n - 1));
            int[] actions = new int[inputs.length];
            Arrays.fill(actions, CrossEntropy.DEFAULT_IGNORE_INDEX);
            System.arraycopy(r.response(), 0, actions, p - 1, n);
            PaddedSequences sequence = PaddedSequences.rightPadded(new int[][] {inputs});
            PolicyValue.Outputs policy = POLICY.forward(sequence, actions, Cache.inference());
            PolicyValue.Outputs reference = REFERENCE.forward(sequence, actions, Cache.inference());
            assertArrayEquals(Arrays.copyOfRange(policy.logProb(), p - 1, p - 1 + n), r.logProb(), 1e-5f, "log π_old");
            assertArrayEquals(Arrays.copyOfRange(reference.logProb(), p - 1, p - 1 + n), r.refLogProb(), 1e-5f, "log π_ref");
            assertArrayEquals(Arrays.copyOfRange(policy.value(), p - 1, p - 1 + n), r.value(), 1e-5f, "V");
            assertNotEquals(r.logProb()[0], r.refLogProb()[0], "the reference is another model");
        }
    }
}
