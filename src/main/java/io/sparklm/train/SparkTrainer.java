package io.sparklm.train;

import io.sparklm.optim.OuterOptimizer;
import java.util.Collections;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.Tuple2;

/**
 * Parameter-averaging training on Spark. Each round: broadcast θ (4 bytes a parameter) → every
 * partition takes the round's H local steps ({@link LocalStepSchedule}) on its shard ({@link PartitionTrainer}), its optimizer state read
 * from and written back to {@link WorkerStates} → the workers' θₖ are summed token-weighted chunk by
 * chunk in Spark's shuffle ({@link ParameterExchange}) and streamed to the driver, where the outer
 * optimizer makes θ for the next round chunk by chunk. Validation loss (Σ loss / Σ tokens, a Spark
 * job) every E rounds and after the last; a {@link RoundListener} (normally {@link RunRecorder}) logs,
 * records metrics and checkpoints. With one partition a round equals H steps of {@link LocalTrainer}
 * exactly.
 */
public final class SparkTrainer {
    /** Parameters per exchange chunk by default: 4 Mi floats, 16 MiB on the wire. */
    public static final int DEFAULT_EXCHANGE_CHUNK = 1 << 22;

    /**
     * @param rounds        total rounds of the run (a resumed run continues up to this)
     * @param evalEvery     E: validate every E rounds (0: only after the last)
     * @param evalBlocks    validation blocks read per partition (0: all of them)
     * @param exchangeChunk parameters per chunk of the round's exchange
     * @param syncSteps     K: the first K rounds take one step each ({@link LocalStepSchedule})
     * @param localStepsGrowth ρ: H of the last round over H of the first round after them
     */
    public record Settings(int rounds, int evalEvery, int evalBlocks, int exchangeChunk, int syncSteps, double localStepsGrowth) {
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
            if (exchangeChunk <= 0) {
                throw new IllegalArgumentException("train.exchangeChunk must be positive, got " + exchangeChunk);
            }
        }

        /** H̄ every round. */
        public Settings(int rounds, int evalEvery, int evalBlocks, int exchangeChunk) {
            this(rounds, evalEvery, evalBlocks, exchangeChunk, 0, 1);
        }

        /** The steps of each round when they average {@code averageSteps} (train.localSteps). */
        public LocalStepSchedule localSteps(int averageSteps) {
            return new LocalStepSchedule(rounds, averageSteps, syncSteps, localStepsGrowth);
        }

        /** Chunks of {@link #DEFAULT_EXCHANGE_CHUNK}. */
        public Settings(int rounds, int evalEvery, int evalBlocks) {
            this(rounds, evalEvery, evalBlocks, DEFAULT_EXCHANGE_CHUNK);
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

    /** What a round's tasks receive besides θ: the round (1-based), the global step it starts at and its H. */
    private record RoundInput(int round, long step, int localSteps) implements java.io.Serializable {
    }

    /** The round's result as the driver read it: θ_{r+1} and the workers' totals. */
    private record RoundSums(float[] next, RoundTotals totals) {
    }

    private final JavaSparkContext sc;
    private final TrainingSpec spec;
    private final Settings settings;
    private final OuterOptimizer outer;
    private final WorkerStates workerStates;
    private final LocalStepSchedule localSteps;
    /** θ as last broadcast, and the array it was broadcast from: validation and the next round share it. */
    private Broadcast<float[]> broadcastParameters;
    private float[] broadcastFrom;
    private boolean running;

    public SparkTrainer(JavaSparkContext sc, TrainingSpec spec, Settings settings, OuterOptimizer outer, WorkerStates workerStates) {
        this.sc = sc;
        this.spec = spec;
        this.settings = settings;
        this.outer = outer;
        this.workerStates = workerStates;
        this.localSteps = settings.localSteps(spec.localSteps());
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
        ParameterExchange exchange = new ParameterExchange(settings.exchangeChunk(), start.parameters().length);
        ShuffleBytes shuffled = new ShuffleBytes();
        sc.sc().addSparkListener(shuffled);
        running = true;
        try {
            long runStart = System.nanoTime();
            int firstRound = start.round();
            for (int r = start.round() + 1; r <= settings.rounds(); r++) {
                long roundStart = System.nanoTime();
                long shuffledBefore = shuffled.bytes();
                String label = "sparklm round " + r + "/" + settings.rounds();
                sc.setJobDescription(label + ": " + localSteps.steps(r) + " local steps on " + train.getNumPartitions()
                        + " workers, exchange in " + exchange.chunks() + " chunks");
                RoundSums sums = trainRound(train, state, exchange);
                RoundTotals totals = sums.totals();
                long step = totals.step();
                state = new TrainerState(r, sums.next(), step, outer.velocity(), state.tokens() + totals.tokens(), totals.stateSha256());
                double validation = Double.NaN;
                if (val != null && (r == settings.rounds() || (settings.evalEvery() > 0 && r % settings.evalEvery() == 0))) {
                    sc.setJobDescription(label + ": validation loss");
                    validation = validate(val, state).mean();
                }
                double seconds = (System.nanoTime() - roundStart) / 1e9;
                double elapsed = (System.nanoTime() - runStart) / 1e9;
                double eta = elapsed / (r - firstRound) * (settings.rounds() - r);
                RoundReport report = new RoundReport(r, settings.rounds(), step, state.tokens(), totals.meanLoss(), validation,
                        totals.tokens() / seconds, spec.local().schedule().lr(step - 1), seconds, totals.maxComputeSeconds(), eta,
                        4L * state.parameters().length, (shuffled.bytes() - shuffledBefore) / totals.reports().size());
                sc.setJobDescription(label + ": checkpoint and metrics");
                if (listener != null) {
                    listener.roundDone(report, state);
                }
                sc.setJobDescription(null);
            }
        } finally {
            sc.sc().removeSparkListener(shuffled);
            running = false;
            releaseParameters();
        }
        return state;
    }

    /** The broadcast of {@code parameters}, made once however many jobs of the run read them. */
    private Broadcast<float[]> broadcastOf(float[] parameters) {
        if (broadcastFrom != parameters) {
            releaseParameters();
            broadcastParameters = sc.broadcast(parameters);
            broadcastFrom = parameters;
        }
        return broadcastParameters;
    }

    private void releaseParameters() {
        if (broadcastParameters != null) {
            broadcastParameters.destroy();
            broadcastParameters = null;
            broadcastFrom = null;
        }
    }

    private RoundSums trainRound(JavaRDD<int[]> train, TrainerState state, ParameterExchange exchange) {
        Broadcast<float[]> parameters = broadcastOf(state.parameters());
        RoundInput input = new RoundInput(state.round() + 1, state.step(), localSteps.steps(state.round() + 1));
        TrainingSpec taskSpec = spec;
        WorkerStates states = workerStates;
        JavaRDD<Tuple2<ParameterExchange.Key, ParameterExchange.Contribution>> contributions = train.mapPartitionsWithIndex(
                (partition, shards) -> trainPartition(taskSpec, input, parameters.value(), partition, shards, states, exchange), true);
        Iterator<ParameterExchange.ChunkAverage> sums = exchange.sum(JavaPairRDD.fromJavaRDD(contributions)).toLocalIterator();
        if (!sums.hasNext()) {
            throw new IllegalStateException("no worker had training tokens in round " + (state.round() + 1)
                    + ": every partition of the training shards is empty");
        }
        RoundTotals totals = new RoundTotals(sums.next().reports());
        float[] next = new float[state.parameters().length];
        int received = 0;
        while (sums.hasNext()) {
            ParameterExchange.ChunkAverage chunk = sums.next();
            outer.apply(state.parameters(), chunk.average(), chunk.chunk() * exchange.chunkSize(), next);
            received++;
        }
        if (received != exchange.chunks()) {
            throw new IllegalStateException("round " + (state.round() + 1) + " summed " + received + " of "
                    + exchange.chunks() + " parameter chunks");
        }
        return new RoundSums(next, totals);
    }

    private static Iterator<Tuple2<ParameterExchange.Key, ParameterExchange.Contribution>> trainPartition(
            TrainingSpec spec, RoundInput input, float[] parameters, int partition, Iterator<int[]> shards, WorkerStates states,
            ParameterExchange exchange) throws java.io.IOException {
        if (!shards.hasNext()) {
            return Collections.emptyIterator();
        }
        int[] tokens = shards.next();
        if (shards.hasNext()) {
            throw new IllegalStateException("partition " + partition + " holds more than one shard: repartition to one packed array per worker");
        }
        PartitionTrainer.Trained trained = PartitionTrainer.train(spec, input.round(), input.step(), input.localSteps(), parameters,
                partition, tokens, states);
        return exchange.contributions(trained.report(), trained.parameters());
    }

    /**
     * Σ loss / Σ tokens of the state's model over every validation partition. During a run it reads
     * the broadcast the next round trains from; outside one its broadcast is released after.
     */
    public LossSum validate(JavaRDD<int[]> val, TrainerState state) {
        Broadcast<float[]> parameters = broadcastOf(state.parameters());
        TrainingSpec taskSpec = spec;
        int maxBlocks = settings.evalBlocks() > 0 ? settings.evalBlocks() : Integer.MAX_VALUE;
        try {
            return val.map(blocks -> PartitionTrainer.validate(taskSpec, parameters.value(), blocks, maxBlocks))
                    .fold(LossSum.ZERO, LossSum::plus);
        } finally {
            if (!running) {
                releaseParameters();
            }
        }
    }

    /**
     * The objective's scores (classification or retrieval counts) of the state's model over every
     * validation partition, summed across them; empty when the objective has none.
     */
    public java.util.Optional<io.sparklm.objective.Scores> score(JavaRDD<int[]> val, TrainerState state) {
        Broadcast<float[]> parameters = broadcastOf(state.parameters());
        TrainingSpec taskSpec = spec;
        int maxItems = settings.evalBlocks() > 0 ? settings.evalBlocks() : Integer.MAX_VALUE;
        try {
            JavaRDD<io.sparklm.objective.Scores> scores = val
                    .map(data -> PartitionTrainer.score(taskSpec, parameters.value(), data, maxItems))
                    .filter(java.util.Objects::nonNull);
            return scores.collect().stream().reduce(io.sparklm.objective.Scores::plus);
        } finally {
            if (!running) {
                releaseParameters();
            }
        }
    }

    /** Bytes every finished task wrote to the shuffle: the exchange's real traffic. */
    private static final class ShuffleBytes extends SparkListener {
        private final AtomicLong bytes = new AtomicLong();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskMetrics() != null) {
                bytes.addAndGet(end.taskMetrics().shuffleWriteMetrics().bytesWritten());
            }
        }

        long bytes() {
            return bytes.get();
        }
    }
}
