package io.sparklm.rlhf;

import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.objective.DirectPreferenceOptimization;
import io.sparklm.objective.Examples;
import io.sparklm.train.TaskThreads;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * DPO's reference stage: the frozen reference model's log π_ref(y_c|x) and log π_ref(y_r|x) of every
 * (prompt, chosen, rejected) record, computed once on the executors before training so the policy's
 * steps never run the reference (Rafailov et al. 2023, §5: the reference is fixed). Each partition's
 * packed records of {@value DirectPreferenceOptimization#PREFERENCE_FIELDS} fields (one int[] per
 * partition, as {@code Shards.train} gives them) become the same records, in the same partitions and
 * order, with the two values appended as fields of one id ({@link DirectPreferenceOptimization#record}).
 *
 * <p>The reference's parameters are broadcast once, when this stage is made, for every split it
 * scores. Deterministic: inference mode (no dropout), the objective's own sequences and per-sequence
 * sums ({@link DirectPreferenceOptimization#logProbs}), so the values are those the policy computes
 * for itself while it still equals the reference.
 */
public final class ReferenceLogProbs {
    private final Broadcast<float[]> parameters;
    private final ModelConfig config;
    private final DirectPreferenceOptimization dpo;
    private final int batchSize;

    /** The stage of {@code reference} (its parameters broadcast now) for {@code dpo}'s sequences, {@code batchSize} records at a time. */
    public ReferenceLogProbs(JavaSparkContext sc, Gpt reference, DirectPreferenceOptimization dpo, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the reference stage's batch size must be positive, got " + batchSize);
        }
        this.parameters = sc.broadcast(reference.parameters().flatten());
        this.config = reference.config();
        this.dpo = dpo;
        this.batchSize = batchSize;
    }

    /**
     * {@code preferences} with the reference's log-probabilities appended to every record, as a
     * stage of its own: persisted (serialized, spilling to disk) and computed before this returns.
     */
    public JavaRDD<int[]> appendTo(JavaRDD<int[]> preferences) {
        Broadcast<float[]> values = parameters;
        ModelConfig shape = config;
        DirectPreferenceOptimization objective = dpo;
        int batch = batchSize;
        JavaRDD<int[]> scored = preferences.map(data -> {
            TaskThreads.use(0);
            return append(Gpt.withParameters(shape, values.value()), objective, data, batch);
        })
                .setName("preferences with reference log-probabilities").persist(StorageLevel.MEMORY_AND_DISK_SER());
        scored.count();
        return scored;
    }

    /** One partition's packed preference records with log π_ref(y_c|x) and log π_ref(y_r|x) appended to each. */
    public static int[] append(Gpt reference, DirectPreferenceOptimization dpo, int[] preferences, int batchSize) {
        Examples examples = Examples.of(preferences);
        int n = examples.records(DirectPreferenceOptimization.PREFERENCE_FIELDS);
        int[] out = new int[preferences.length + 4 * n];
        int at = 0;
        for (int first = 0; first < n; first += batchSize) {
            List<int[][]> records = new ArrayList<>();
            for (int i = first; i < Math.min(n, first + batchSize); i++) {
                records.add(examples.record(i, DirectPreferenceOptimization.PREFERENCE_FIELDS));
            }
            double[][] logProbs = dpo.logProbs(reference, records);
            for (int i = 0; i < records.size(); i++) {
                int[][] r = records.get(i);
                int[] row = DirectPreferenceOptimization.record(r[0], r[1], r[2], (float) logProbs[0][i], (float) logProbs[1][i]);
                System.arraycopy(row, 0, out, at, row.length);
                at += row.length;
            }
        }
        return out;
    }
}
