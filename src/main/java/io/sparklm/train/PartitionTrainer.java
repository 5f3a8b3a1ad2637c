package io.sparklm.train;

import io.sparklm.model.Gpt;
import io.sparklm.optim.Optimizer;
import io.sparklm.tensor.Blas;
import io.sparklm.tensor.Parallel;

/**
 * The body of one Spark task in a round: rebuild the model from the round's broadcast, take H
 * local steps on this partition's tokens and report the result. Step s of partition p in round r
 * (1-based) draws from RNGs seeded by (seed, r, p, s) only, so a retried task returns the same result.
 */
final class PartitionTrainer {
    private PartitionTrainer() {
    }

    static WorkerResult train(TrainingSpec spec, TrainerState state, int partition, int[] tokens, int taskCpus) {
        useThreads(spec.threads() > 0 ? spec.threads() : taskCpus);
        LocalTrainer trainer = rebuild(spec, state);
        BatchSampler sampler = new BatchSampler(tokens, spec.local().batchSize(), spec.model().blockSize());
        double tokensSeen = 0;
        double lossSum = 0;
        long start = System.nanoTime();
        for (int h = 0; h < spec.localSteps(); h++) {
            LocalTrainer.StepResult r = trainer.trainStep(sampler, state.round() + 1, partition);
            tokensSeen += r.tokens();
            lossSum += r.loss() * r.tokens();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new WorkerResult(tokensSeen, lossSum, trainer.model().parameters().flatten(),
                trainer.optimizer().state(), seconds);
    }

    /** Loss sum and tokens of the round's model over the first {@code maxBlocks} of a validation partition's blocks. */
    static LossSum validate(TrainingSpec spec, TrainerState state, int[] blocks, int maxBlocks, int taskCpus) {
        useThreads(spec.threads() > 0 ? spec.threads() : taskCpus);
        if (blocks.length < spec.model().blockSize() + 1) {
            return LossSum.ZERO;
        }
        return rebuild(spec, state).evaluate(blocks, maxBlocks);
    }

    /** A trainer holding the state's parameters and optimizer, positioned at its global step. */
    static LocalTrainer rebuild(TrainingSpec spec, TrainerState state) {
        Gpt model = Gpt.withParameters(spec.model(), state.parameters());
        Optimizer optimizer = spec.optimizer().build();
        optimizer.load(state.optimizer());
        LocalTrainer trainer = new LocalTrainer(model, optimizer, spec.local());
        trainer.setStep(state.optimizer().step());
        return trainer;
    }

    private static int threadsInUse;

    /**
     * Sizes the JVM-wide kernel pool and OpenBLAS to a task's CPUs. Tasks of one executor share
     * them and ask for the same count, so the setting changes once, never under a running product.
     */
    private static synchronized void useThreads(int threads) {
        int n = Math.max(1, threads);
        if (n != threadsInUse) {
            Parallel.setThreads(n);
            Blas.setThreads(n);
            threadsInUse = n;
        }
    }
}
