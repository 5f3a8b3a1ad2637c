package io.sparklm.train;

import io.sparklm.optim.OuterOptimizer;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Parameter-averaging training on Spark. Each round: broadcast θ and the optimizer state →
 * every partition takes H local steps on its shard ({@link PartitionTrainer}) → {@code treeAggregate}
 * sums token-weighted results ({@link TokenWeightedAverage}) → the outer optimizer makes θ for the
 * next round. Validation loss (Σ loss / Σ tokens, a Spark job) every E rounds and after the last;
 * a {@link RoundListener} (normally {@link RunRecorder}) logs, records metrics and checkpoints.
 * With one partition a round equals H steps of {@link LocalTrainer} exactly.
 */
public final class SparkTrainer {
    /**
     * @param rounds     total rounds of the run (a resumed run continues up to this)
     * @param evalEvery  E: validate every E rounds (0: only after the last)
     * @param evalBlocks validation blocks read per partition (0: all of them)
     */
    public record Settings(int rounds, int evalEvery, int evalBlocks) {
        public Settings {
            if (rounds <= 0) {
                throw new IllegalArgumentException("train.rounds must be positive, got " + rounds);
            }
            if (evalEvery < 0) {
                throw new IllegalArgumentException("train.evalEvery must be ≥ 0, got " + evalEvery);
            }
            if (evalBlocks < 0) {
                throw new IllegalArgumentException("train.evalBlocks must be ≥ 0, got " + evalBlocks);
            }
        }

        /** All of every validation partition. */
        public Settings(int rounds, int evalEvery) {
            this(rounds, evalEvery, 0);
        }
    }

    /** Receives each finished round (for logs, metrics and checkpoints). */
    public interface RoundListener {
        void roundDone(RoundReport report, TrainerState state) throws java.io.IOException;
    }

    private final JavaSparkContext sc;
    private final TrainingSpec spec;
    private final Settings settings;
    private final OuterOptimizer outer;

    public SparkTrainer(JavaSparkContext sc, TrainingSpec spec, Settings settings, OuterOptimizer outer) {
        this.sc = sc;
        this.spec = spec;
        this.settings = settings;
        this.outer = outer;
    }

    /**
     * Runs rounds from {@code start.round()} up to {@code settings.rounds()}.
     *
     * @param train one element per partition: that worker's packed tokens
     * @param val   validation blocks, one packed int[] per partition (may be null: no validation)
     */
    public TrainerState run(JavaRDD<int[]> train, JavaRDD<int[]> val, TrainerState start, RoundListener listener)
            throws java.io.IOException {
        TrainerState state = start;
        outer.loadVelocity(start.outerVelocity());
        long runStart = System.nanoTime();
        int firstRound = start.round();
        for (int r = start.round() + 1; r <= settings.rounds(); r++) {
            long roundStart = System.nanoTime();
            String label = "sparklm round " + r + "/" + settings.rounds();
            sc.setJobDescription(label + ": " + spec.localSteps() + " local steps on " + train.getNumPartitions() + " workers");
            TokenWeightedAverage sum = trainRound(train, state);
            float[] next = outer.apply(state.parameters(), sum.averageParameters());
            state = new TrainerState(r, next, sum.averageOptimizer(), outer.velocity(), state.tokens() + sum.tokens());
            double validation = Double.NaN;
            if (val != null && (r == settings.rounds() || (settings.evalEvery() > 0 && r % settings.evalEvery() == 0))) {
                sc.setJobDescription(label + ": validation loss");
                validation = validate(val, state).mean();
            }
            double seconds = (System.nanoTime() - roundStart) / 1e9;
            double elapsed = (System.nanoTime() - runStart) / 1e9;
            double eta = elapsed / (r - firstRound) * (settings.rounds() - r);
            RoundReport report = new RoundReport(r, settings.rounds(), state.optimizer().step(), state.tokens(),
                    sum.meanLoss(), validation, sum.tokens() / seconds, spec.local().schedule().lr(state.optimizer().step() - 1),
                    seconds, sum.maxComputeSeconds(), eta);
            sc.setJobDescription(label + ": checkpoint and metrics");
            if (listener != null) {
                listener.roundDone(report, state);
            }
            sc.setJobDescription(null);
        }
        return state;
    }

    private TokenWeightedAverage trainRound(JavaRDD<int[]> train, TrainerState state) {
        Broadcast<TrainerState> broadcast = sc.broadcast(state);
        TrainingSpec taskSpec = spec;
        try {
            return train.mapPartitionsWithIndex((partition, shards) -> trainPartition(taskSpec, broadcast.value(), partition, shards), true)
                    .treeAggregate(new TokenWeightedAverage(), TokenWeightedAverage::add, TokenWeightedAverage::merge, 2);
        } finally {
            broadcast.destroy();
        }
    }

    private static Iterator<WorkerResult> trainPartition(TrainingSpec spec, TrainerState state, int partition, Iterator<int[]> shards) {
        if (!shards.hasNext()) {
            return Collections.emptyIterator();
        }
        int[] tokens = shards.next();
        if (shards.hasNext()) {
            throw new IllegalStateException("partition " + partition + " holds more than one shard: repartition to one packed array per worker");
        }
        return List.of(PartitionTrainer.train(spec, state, partition, tokens, taskCpus())).iterator();
    }

    /** Σ loss / Σ tokens of the state's model over every validation partition. */
    public LossSum validate(JavaRDD<int[]> val, TrainerState state) {
        Broadcast<TrainerState> broadcast = sc.broadcast(state.withoutOptimizerBuffers());
        TrainingSpec taskSpec = spec;
        int maxBlocks = settings.evalBlocks() > 0 ? settings.evalBlocks() : Integer.MAX_VALUE;
        try {
            return val.map(blocks -> PartitionTrainer.validate(taskSpec, broadcast.value(), blocks, maxBlocks, taskCpus()))
                    .fold(LossSum.ZERO, LossSum::plus);
        } finally {
            broadcast.destroy();
        }
    }

    private static int taskCpus() {
        TaskContext task = TaskContext.get();
        return task == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, task.cpus());
    }
}
