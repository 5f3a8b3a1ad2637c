package io.sparklm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.LocalSpark;
import io.sparklm.loss.CausalLm;
import io.sparklm.model.Gpt;
import io.sparklm.objective.EveryObjectiveTest;
import io.sparklm.objective.Examples;
import io.sparklm.objective.TokenBatch;
import io.sparklm.model.ModelConfig;
import io.sparklm.nn.Cache;
import io.sparklm.optim.OuterOptimizer;
import io.sparklm.optim.Schedule;
import io.sparklm.optim.Sgd;
import io.sparklm.tensor.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

class SparkTrainerTest {
    private static final ModelConfig MODEL = ModelConfig.gpt(12, 8, 1, 2, 16);

    static JavaSparkContext sc() {
        return JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
    }

    /**
     * Tokens that count up modulo the vocabulary, each replaced by a uniform random token with
     * probability 0.1: the next token is predictable from the last two, so the loss floor is about
     * H = −0.9·ln 0.9 … ≈ 0.5 nats while uniform guessing costs ln(vocab).
     */
    static int[] randomTokens(long seed, int n, int vocab) {
        Rng rng = new Rng(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextDouble() < 0.1 ? rng.nextInt(vocab) : i % vocab;
        }
        return t;
    }

    static WorkerStates states(Path runDir) throws java.io.IOException {
        return new WorkerStates(runDir.toUri().toString(), sc().hadoopConfiguration());
    }

    static JavaRDD<int[]> shards(int[]... perWorker) {
        return sc().parallelize(List.of(perWorker), perWorker.length);
    }

    @Test
    void onePartitionGivesExactlyLocalTrainersParameters(@TempDir Path run) throws Exception {
        int[] tokens = randomTokens(1, 400, 12);
        TrainingSpec spec = TrainingSpec.causalLm(MODEL, OptimizerSpec.adamW(0.9, 0.99, 0.1),
                new LocalTrainer.Settings(4, Schedule.warmupCosine(1e-2, 2, 9, 1e-3), 1.0, 42), 3, 1);
        Gpt initial = new Gpt(MODEL, 7);
        WorkerStates states = states(run);
        TrainerState end = new SparkTrainer(sc(), spec, new SparkTrainer.Settings(3, 0, 0, 100), OuterOptimizer.average(), states)
                .run(shards(tokens), null, TrainerState.initial(initial.parameters().flatten()), null);

        LocalTrainer local = new LocalTrainer(new Gpt(MODEL, 7), spec.optimizer().build(), spec.local());
        Examples sampler = Examples.of(tokens);
        for (int round = 1; round <= 3; round++) {
            for (int h = 0; h < 3; h++) {
                local.trainStep(sampler, round, 0);
            }
        }
        assertArrayEquals(local.model().parameters().flatten(), end.parameters(), 0f);
        assertEquals(9, end.step());
        assertArrayEquals(local.optimizer().state().buffer("v"), states.read(3, 0, 9).buffer("v"));
    }

    /** Every objective of {@link EveryObjectiveTest}: one partition of two rounds of three steps equals LocalTrainer's six steps. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sparklm.objective.EveryObjectiveTest#cases")
    void onePartitionGivesExactlyLocalTrainersParametersForEveryObjective(EveryObjectiveTest.Case c, @TempDir Path run) throws Exception {
        TrainingSpec spec = new TrainingSpec(c.spec(), c.objective(), OptimizerSpec.adamW(0.9, 0.99, 0.1),
                new LocalTrainer.Settings(4, Schedule.warmupCosine(1e-2, 2, 6, 1e-3), 1.0, 42), 3, 1);
        TrainerState end = new SparkTrainer(sc(), spec, new SparkTrainer.Settings(2, 0, 0, 100), OuterOptimizer.average(), states(run))
                .run(shards(c.data()), null, TrainerState.initial(c.spec().build(7).parameters().flatten()), null);

        LocalTrainer local = new LocalTrainer(c.spec().build(7), c.objective(), spec.optimizer().build(), spec.local());
        Examples examples = Examples.of(c.data());
        for (int round = 1; round <= 2; round++) {
            for (int h = 0; h < 3; h++) {
                local.trainStep(examples, round, 0);
            }
        }
        assertArrayEquals(local.model().parameters().flatten(), end.parameters(), 0f);
    }

    @Test
    void onePartitionWithSyncStepsAndGrowingRoundsStillGivesExactlyLocalTrainersParameters(@TempDir Path run) throws Exception {
        int[] tokens = randomTokens(3, 400, 12);
        TrainingSpec spec = TrainingSpec.causalLm(MODEL, OptimizerSpec.adamW(0.9, 0.99, 0.1),
                new LocalTrainer.Settings(4, Schedule.warmupCosine(1e-2, 2, 12, 1e-3), 1.0, 42), 3, 1);
        SparkTrainer.Settings settings = new SparkTrainer.Settings(4, 0, 0, 100, 1, 2);
        int[] h = {1, 2, 4, 5};
        for (int r = 1; r <= 4; r++) {
            assertEquals(h[r - 1], settings.localSteps(3).steps(r));
        }
        WorkerStates states = states(run);
        TrainerState end = new SparkTrainer(sc(), spec, settings, OuterOptimizer.average(), states)
                .run(shards(tokens), null, TrainerState.initial(new Gpt(MODEL, 7).parameters().flatten()), null);

        LocalTrainer local = new LocalTrainer(new Gpt(MODEL, 7), spec.optimizer().build(), spec.local());
        Examples sampler = Examples.of(tokens);
        for (int round = 1; round <= 4; round++) {
            for (int step = 0; step < h[round - 1]; step++) {
                local.trainStep(sampler, round, 0);
            }
        }
        assertArrayEquals(local.model().parameters().flatten(), end.parameters(), 0f);
        assertEquals(12, end.step());
    }

    @Test
    void sgdOneStepOnTwoEqualShardsEqualsOneStepOnTheUnionBatch(@TempDir Path run) throws Exception {
        int t = MODEL.blockSize();
        int[] shardA = randomTokens(2, t + 1, 12);
        int[] shardB = randomTokens(3, t + 1, 12);
        TrainingSpec spec = TrainingSpec.causalLm(MODEL, OptimizerSpec.sgd(0, 0),
                new LocalTrainer.Settings(1, Schedule.constant(0.1), 0, 5), 1, 1);
        Gpt initial = new Gpt(MODEL, 8);
        TrainerState end = new SparkTrainer(sc(), spec, new SparkTrainer.Settings(1, 0), OuterOptimizer.average(), states(run))
                .run(shards(shardA, shardB), null, TrainerState.initial(initial.parameters().flatten()), null);

        Gpt single = new Gpt(MODEL, 8);
        LocalTrainer local = new LocalTrainer(single, new Sgd(), spec.local());
        int[] union = new int[2 * (t + 1)];
        System.arraycopy(shardA, 0, union, 0, t + 1);
        System.arraycopy(shardB, 0, union, t + 1, t + 1);
        local.lossAndGradient(TokenBatch.of(CausalLm.batch(union, t)), Cache.inference());
        new Sgd().step(single.parameters(), 0.1);
        assertArrayEquals(single.parameters().flatten(), end.parameters(), 1e-6f);
    }

    @Test
    void twoWorkersTrainTheLossDownAndReportEachRound(@TempDir Path run) throws Exception {
        int[] a = randomTokens(4, 600, 12);
        int[] b = randomTokens(5, 600, 12);
        TrainingSpec spec = TrainingSpec.causalLm(MODEL, OptimizerSpec.adamW(0.9, 0.99, 0.0),
                new LocalTrainer.Settings(8, Schedule.constant(2e-2), 1.0, 1), 5, 1);
        List<RoundReport> reports = new ArrayList<>();
        TrainerState start = TrainerState.initial(new Gpt(MODEL, 9).parameters().flatten());
        TrainerState end = new SparkTrainer(sc(), spec, new SparkTrainer.Settings(12, 3, 0, 333), OuterOptimizer.nesterov(0.7, 0.9),
                states(run)).run(shards(a, b), shards(a, b), start, (report, state) -> reports.add(report));
        assertEquals(12, reports.size());
        assertEquals(12, end.round());
        assertEquals(2 * 12 * 5 * 8 * MODEL.blockSize(), end.tokens(), 0);
        assertTrue(Double.isNaN(reports.get(0).valLoss()) && !Double.isNaN(reports.get(2).valLoss()));
        assertTrue(reports.get(11).valLoss() < 1.6, "val loss " + reports.get(11).valLoss() + " (uniform: ln 12 = 2.48, floor ≈ 0.5)");
        assertTrue(reports.get(11).trainLoss() < reports.get(0).trainLoss());
        assertTrue(end.outerVelocity().length > 0);
    }

    @Test
    void aNonFiniteLossFailsTheRoundNamingRoundPartitionAndStep(@TempDir Path run) throws Exception {
        int[] tokens = randomTokens(10, 400, 12);
        TrainingSpec spec = TrainingSpec.causalLm(MODEL, OptimizerSpec.sgd(0, 0),
                new LocalTrainer.Settings(4, Schedule.constant(1e30), 0, 3), 3, 1);
        TrainerState start = TrainerState.initial(new Gpt(MODEL, 11).parameters().flatten());
        SparkTrainer trainer = new SparkTrainer(sc(), spec, new SparkTrainer.Settings(2, 0), OuterOptimizer.average(), states(run));
        Exception e = assertThrows(Exception.class, () -> trainer.run(shards(tokens), null, start, null));
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains("round 1, partition 0, step ") && message.contains("lower train.lr"), message);
        assertFalse(java.nio.file.Files.exists(run.resolve("worker-state/round-000001/part-00000.safetensors")),
                "a failed worker writes no state");
    }
}
