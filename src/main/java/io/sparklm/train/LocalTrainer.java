package io.sparklm.train;

import io.sparklm.loss.CausalLm;
import io.sparklm.loss.LossResult;
import io.sparklm.model.Gpt;
import io.sparklm.nn.Cache;
import io.sparklm.optim.GradClip;
import io.sparklm.optim.Optimizer;
import io.sparklm.optim.Schedule;
import io.sparklm.tensor.Rng;

/**
 * One worker's causal-LM training steps: sample a batch, forward, cross-entropy, backward,
 * clip the global gradient norm, optimizer step at the scheduled learning rate.
 *
 * <p>Step s draws its batch and dropout masks from RNGs derived from (seed, stream, s), where the
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

    /** Loss and gradient norm of one step, and the learning rate it used. */
    public record StepResult(long step, double loss, double tokens, double gradNorm, double lr) {
    }

    private final Gpt model;
    private final Optimizer optimizer;
    private final Settings settings;
    private final MicroBatchGradient gradient;
    /** Kept between steps, so activations and gradients are allocated on the first step only. */
    private final Cache cache = Cache.inference();
    private long step;

    public LocalTrainer(Gpt model, Optimizer optimizer, Settings settings) {
        this.model = model;
        this.optimizer = optimizer;
        this.settings = settings;
        this.gradient = new MicroBatchGradient(model);
    }

    public Gpt model() {
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

    /** One training step on a batch drawn from {@code sampler} with RNG stream {@code stream}. */
    public StepResult trainStep(BatchSampler sampler, long... stream) {
        CausalLm.Batch batch = sampler.sample(Rng.derive(settings.seed(), withStep(stream, 0)));
        LossResult loss = lossAndGradient(batch, cache.restart(true, Rng.derive(settings.seed(), withStep(stream, 1))));
        double lr = settings.schedule().lr(step);
        double norm = settings.maxGradNorm() > 0
                ? GradClip.clipGlobalNorm(model.parameters(), settings.maxGradNorm())
                : GradClip.globalNorm(model.parameters());
        optimizer.step(model.parameters(), lr);
        return new StepResult(step++, loss.mean(), loss.weight(), norm, lr);
    }

    private long[] withStep(long[] stream, int purpose) {
        long[] keys = java.util.Arrays.copyOf(stream, stream.length + 2);
        keys[stream.length] = step;
        keys[stream.length + 1] = purpose;
        return keys;
    }

    /**
     * Zeroes gradients, runs forward and backward on one batch, one micro-batch per thread
     * ({@link MicroBatchGradient}); gradients are of the mean loss.
     * The returned result carries the loss sum and token count; its {@code grad} is null.
     */
    public LossResult lossAndGradient(CausalLm.Batch batch, Cache cache) {
        return gradient.compute(batch, cache);
    }

    /** Token-weighted mean loss of the model on one batch, without gradients. */
    public LossResult loss(CausalLm.Batch batch) {
        return model.loss(batch.inputs(), batch.targets(), batch.batchSize(), batch.blockSize());
    }

    /**
     * Loss sum and token count over the first {@code maxBlocks} consecutive blocks of T + 1 tokens
     * of {@code tokens}, evaluated {@code batchSize} blocks at a time.
     */
    public LossSum evaluate(int[] tokens, int maxBlocks) {
        int t = model.config().blockSize();
        int stride = t + 1;
        int blocks = Math.min(maxBlocks, tokens.length / stride);
        if (blocks == 0) {
            throw new IllegalArgumentException("text of " + tokens.length + " tokens holds no block of " + stride
                    + " tokens (model.blockSize + 1)");
        }
        LossSum total = LossSum.ZERO;
        for (int first = 0; first < blocks; first += settings.batchSize()) {
            int n = Math.min(settings.batchSize(), blocks - first);
            int[] chunk = java.util.Arrays.copyOfRange(tokens, first * stride, (first + n) * stride);
            total = total.plus(lossSum(CausalLm.batch(chunk, t)));
        }
        return total;
    }

    /** Mean loss over {@code batches} random batches drawn with the given seed (nanoGPT's estimate). */
    public double estimate(BatchSampler sampler, int batches, long seed) {
        LossSum total = LossSum.ZERO;
        for (int i = 0; i < batches; i++) {
            total = total.plus(lossSum(sampler.sample(Rng.derive(seed, i))));
        }
        return total.mean();
    }

    private LossSum lossSum(CausalLm.Batch batch) {
        LossResult r = loss(batch);
        return new LossSum(r.sum(), r.weight());
    }
}
