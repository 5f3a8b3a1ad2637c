package io.sparklm.train;

import io.sparklm.loss.LossResult;
import io.sparklm.model.Gpt;
import io.sparklm.model.Model;
import io.sparklm.nn.Cache;
import io.sparklm.objective.Batch;
import io.sparklm.objective.CausalLmObjective;
import io.sparklm.objective.Draw;
import io.sparklm.objective.Examples;
import io.sparklm.objective.Objective;
import io.sparklm.optim.GradClip;
import io.sparklm.optim.Optimizer;
import io.sparklm.optim.Schedule;

/**
 * One worker's training steps for any {@link Objective}: draw a batch, forward, loss, backward,
 * clip the global gradient norm, optimizer step at the scheduled learning rate.
 *
 * <p>Step s draws its batch, masks and dropout from RNGs derived from (seed, stream, s), where the
 * stream identifies the worker (for Spark: round and partition), so a step is reproducible.
 */
public final class LocalTrainer {
    /** How steps are taken. {@code maxGradNorm} ≤ 0 disables clipping. */
    public record Settings(int batchSize, Schedule schedule, double maxGradNorm, long seed) implements java.io.Serializable {
        public Settings {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("train.batchSize must be positive, got " + batchSize);
            }
        }
    }

    /** Loss and gradient norm of one step, and the learning rate it used; {@code tokens} is the step's Σ wᵢ. */
    public record StepResult(long step, double loss, double tokens, double gradNorm, double lr) {
    }

    private final Model model;
    private final Objective objective;
    private final Optimizer optimizer;
    private final Settings settings;
    private final MicroBatchGradient gradient;
    /** Kept between steps, so activations and gradients are allocated on the first step only. */
    private final Cache cache = Cache.inference();
    private long step;

    public LocalTrainer(Model model, Objective objective, Optimizer optimizer, Settings settings) {
        if (model.spec().family() != objective.family()) {
            throw new IllegalArgumentException("objective " + objective.name() + " trains a " + objective.family()
                    + " model, not a " + model.spec().family());
        }
        this.model = model;
        this.objective = objective;
        this.optimizer = optimizer;
        this.settings = settings;
        this.gradient = new MicroBatchGradient(model, objective);
    }

    /** Causal-LM training of a GPT over windows of its block size. */
    public LocalTrainer(Gpt model, Optimizer optimizer, Settings settings) {
        this(model, new CausalLmObjective(model.config().blockSize()), optimizer, settings);
    }

    public Model model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Steps taken so far (the schedule's position). */
    public long step() {
        return step;
    }

    public void setStep(long step) {
        this.step = step;
    }

    /** One training step on a batch drawn from {@code examples} with RNG stream {@code stream}. */
    public StepResult trainStep(Examples examples, long... stream) {
        long[] keys = java.util.Arrays.copyOf(stream, stream.length + 1);
        keys[stream.length] = step;
        Draw draw = new Draw(settings.seed(), keys);
        Batch batch = objective.sample(examples, settings.batchSize(), draw);
        LossResult loss = lossAndGradient(batch, cache.restart(true, draw.rng(1)));
        double lr = settings.schedule().lr(step);
        double norm = settings.maxGradNorm() > 0
                ? GradClip.clipGlobalNorm(model.parameters(), settings.maxGradNorm())
                : GradClip.globalNorm(model.parameters());
        optimizer.step(model.parameters(), lr);
        return new StepResult(step++, loss.mean(), loss.weight(), norm, lr);
    }

    /**
     * Zeroes gradients, runs forward and backward on one batch, one micro-batch per thread where
     * the objective allows ({@link MicroBatchGradient}); gradients are of the mean loss.
     * The returned result carries the loss sum and weight; its {@code grad} is null.
     */
    public LossResult lossAndGradient(Batch batch, Cache cache) {
        return gradient.compute(batch, cache);
    }

    /** Σ wᵢLᵢ and Σ wᵢ of the model on one batch, without gradients. */
    public LossResult loss(Batch batch) {
        return objective.loss(model, batch);
    }

    /**
     * Loss sum and weight over the first {@code maxItems} items of {@code data} (for causal LM,
     * consecutive blocks of T + 1 tokens), evaluated {@code batchSize} items at a time.
     */
    public LossSum evaluate(int[] data, int maxItems) {
        java.util.List<Batch> batches = objective.evaluationBatches(Examples.of(data), settings.batchSize(), maxItems);
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("data of " + data.length + " ids holds nothing to evaluate for objective "
                    + objective.name() + " (causal LM: no block of model.blockSize + 1 tokens)");
        }
        LossSum total = LossSum.ZERO;
        for (Batch batch : batches) {
            total = total.plus(lossSum(batch));
        }
        return total;
    }

    /** Mean loss over {@code batches} random batches drawn with the given seed (nanoGPT's estimate). */
    public double estimate(Examples examples, int batches, long seed) {
        LossSum total = LossSum.ZERO;
        for (int i = 0; i < batches; i++) {
            total = total.plus(lossSum(objective.sample(examples, settings.batchSize(), new Draw(seed, new long[] {i}))));
        }
        return total.mean();
    }

    private LossSum lossSum(Batch batch) {
        LossResult r = loss(batch);
        return new LossSum(r.sum(), r.weight());
    }
}
