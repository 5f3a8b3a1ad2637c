package io.sparklm.train;

import io.sparklm.nn.Parameters;
import io.sparklm.objective.Examples;
import io.sparklm.optim.Optimizer;
import io.sparklm.optim.OptimizerState;

/**
 * The body of one Spark task in a round: rebuild the model from the round's θ, load this worker's
 * optimizer state of the previous round from {@link WorkerStates}, take the round's H local steps on this
 * partition's tokens, write the new optimizer state back and hand over the trained parameters.
 * Step s of partition p in round r (1-based) draws from RNGs seeded by (seed, r, p, s) only, so a
 * retried task returns the same result. A non-finite loss or gradient norm fails the task, naming
 * round, partition and step, so it never reaches the average.
 */
final class PartitionTrainer {
    private PartitionTrainer() {
    }

    /** A worker's trained parameters and its report. */
    record Trained(Parameters parameters, WorkerReport report) {
    }

    static Trained train(TrainingSpec spec, int round, long step, int localSteps, float[] parameters, int partition, int[] tokens,
                         WorkerStates states) throws java.io.IOException {
        TaskThreads.use(spec.threads());
        LocalTrainer trainer = rebuild(spec, parameters, states.read(round - 1, partition, step));
        Examples examples = Examples.of(tokens);
        double tokensSeen = 0;
        double lossSum = 0;
        long start = System.nanoTime();
        for (int h = 0; h < localSteps; h++) {
            LocalTrainer.StepResult r = trainer.trainStep(examples, round, partition);
            if (!Double.isFinite(r.loss()) || !Double.isFinite(r.gradNorm())) {
                throw new ArithmeticException(String.format("round %d, partition %d, step %d: %s is %s; lower train.lr, "
                        + "keep train.clip on, or resume from an earlier checkpoint", round, partition, r.step(),
                        Double.isFinite(r.loss()) ? "the gradient norm" : "the loss",
                        Double.isFinite(r.loss()) ? r.gradNorm() : r.loss()));
            }
            tokensSeen += r.tokens();
            lossSum += r.loss() * r.tokens();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String sha = states.write(round, partition, trainer.optimizer().state());
        return new Trained(trainer.model().parameters(),
                new WorkerReport(partition, tokensSeen, lossSum, seconds, trainer.step(), sha));
    }

    /** Loss sum and weight of θ over the first {@code maxItems} items of a validation partition; zero when it holds none. */
    static LossSum validate(TrainingSpec spec, float[] parameters, int[] data, int maxItems) {
        TaskThreads.use(spec.threads());
        if (spec.objective().evaluationBatches(Examples.of(data), 1, 1).isEmpty()) {
            return LossSum.ZERO;
        }
        return rebuild(spec, parameters, new OptimizerState(0, java.util.Map.of())).evaluate(data, maxItems);
    }

    /** The objective's scores of θ over the first {@code maxItems} items of a validation partition; null when it has none. */
    static io.sparklm.objective.Scores score(TrainingSpec spec, float[] parameters, int[] data, int maxItems) {
        TaskThreads.use(spec.threads());
        return spec.objective().score(spec.model().withParameters(parameters), Examples.of(data), spec.local().batchSize(), maxItems);
    }

    /** A trainer holding θ and the optimizer state, positioned at the state's step. */
    private static LocalTrainer rebuild(TrainingSpec spec, float[] parameters, OptimizerState optimizerState) {
        Optimizer optimizer = spec.optimizer().build();
        optimizer.load(optimizerState);
        LocalTrainer trainer = new LocalTrainer(spec.model().withParameters(parameters), spec.objective(), optimizer, spec.local());
        trainer.setStep(optimizerState.step());
        return trainer;
    }
}
