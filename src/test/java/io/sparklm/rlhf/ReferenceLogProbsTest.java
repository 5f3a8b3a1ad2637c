package io.sparklm.rlhf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklm.LocalSpark;
import io.sparklm.data.shard.RecordLayout;
import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.objective.DirectPreferenceOptimization;
import io.sparklm.objective.Examples;
import io.sparklm.objective.ResponseLogProbs;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class ReferenceLogProbsTest {
    private static final int END = 2;

    /** Partition p holds records (prompt, chosen, rejected) of ids 5 … 11, {@code n} of them. */
    private static int[] partition(int p, int n) {
        int[][] rows = new int[n][];
        for (int i = 0; i < n; i++) {
            int a = 5 + (p * 3 + i) % 7;
            rows[i] = RecordLayout.encode(new int[] {a, 5 + (a + 1) % 7}, new int[] {5 + (a + 2) % 7, 5 + (a + 3) % 7}, new int[] {a});
        }
        return java.util.Arrays.stream(rows).flatMapToInt(java.util.Arrays::stream).toArray();
    }

    @Test
    void everyRecordGetsTheReferenceGptsLogProbabilitiesOfItsTwoResponsesInPlace() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        Gpt reference = new Gpt(ModelConfig.gpt(12, 8, 1, 2, 8), 7);
        DirectPreferenceOptimization dpo = new DirectPreferenceOptimization(8, END, 0.1);
        List<int[]> partitions = List.of(partition(0, 5), partition(1, 3), new int[0]);
        JavaRDD<int[]> preferences = sc.parallelize(partitions, 3);

        List<int[]> scored = new ReferenceLogProbs(sc, reference, dpo, 2).appendTo(preferences).collect();

        assertEquals(3, scored.size());
        assertEquals(0, scored.get(2).length, "an empty partition stays empty");
        for (int p = 0; p < 2; p++) {
            Examples before = Examples.of(partitions.get(p));
            Examples after = Examples.of(scored.get(p));
            assertEquals(before.records(3), after.records(DirectPreferenceOptimization.FIELDS));
            for (int i = 0; i < before.records(3); i++) {
                int[][] in = before.record(i, 3);
                int[][] out = after.record(i, DirectPreferenceOptimization.FIELDS);
                for (int f = 0; f < 3; f++) {
                    assertArrayEquals(in[f], out[f], "the preference record is kept as it was");
                }
                assertEquals(ResponseLogProbs.of(reference, in[0], in[1], END), Float.intBitsToFloat(out[3][0]), 1e-5, "log π_ref(y_c|x)");
                assertEquals(ResponseLogProbs.of(reference, in[0], in[2], END), Float.intBitsToFloat(out[4][0]), 1e-5, "log π_ref(y_r|x)");
            }
        }
        assertArrayEquals(scored.get(0), ReferenceLogProbs.append(reference, dpo, partitions.get(0), 5),
                "the same values whatever the batch size and wherever it runs");
    }
}
