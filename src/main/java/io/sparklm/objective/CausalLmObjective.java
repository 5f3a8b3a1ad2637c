package io.sparklm.objective;

import io.sparklm.loss.CausalLm;
import io.sparklm.loss.LossResult;
import io.sparklm.model.Gpt;
import io.sparklm.model.Model;
import io.sparklm.model.ModelFamily;
import io.sparklm.nn.Cache;
import java.util.ArrayList;
import java.util.List;

/**
 * Next-token prediction ({@link CausalLm}): L = −(1/N) Σ_t log P(x_t | x_&lt;t) over the N predicted
 * positions of a batch, weighted by tokens. Training batches are windows of T + 1 tokens at
 * uniform random starts in the worker's token stream ({@link BatchSampler}); evaluation reads
 * consecutive blocks of T + 1.
 */
public final class CausalLmObjective implements Objective {
    public static final String NAME = "clm";
    private final int blockSize;

    /** Windows of T = {@code blockSize} predicted positions. */
    public CausalLmObjective(int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be positive, got " + blockSize);
        }
        this.blockSize = blockSize;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelFamily family() {
        return ModelFamily.DECODER;
    }

    @Override
    public TokenBatch sample(Examples examples, int batchSize, Draw draw) {
        return TokenBatch.of(new BatchSampler(examples.tokens(), batchSize, blockSize).sample(draw.rng(0)));
    }

    @Override
    public List<Batch> evaluationBatches(Examples examples, int batchSize, int maxItems) {
        List<Batch> batches = new ArrayList<>();
        for (int[] blocks : BatchSampler.consecutiveBlocks(examples.tokens(), blockSize, batchSize, maxItems)) {
            batches.add(TokenBatch.of(CausalLm.batch(blocks, blockSize)));
        }
        return batches;
    }

    @Override
    public double weight(Model model, Batch batch) {
        return ((Gpt) model).targetWeight(((TokenBatch) batch).targets());
    }

    @Override
    public double lossAndGradient(Model model, Batch batch, double normaliser, Cache cache) {
        Gpt gpt = (Gpt) model;
        TokenBatch b = (TokenBatch) batch;
        double sum = gpt.forwardLoss(b.inputs(), b.valid(), b.targets(), b.size(), b.time(), normaliser, cache).sum();
        gpt.backward(cache);
        return sum;
    }

    @Override
    public LossResult loss(Model model, Batch batch) {
        TokenBatch b = (TokenBatch) batch;
        return ((Gpt) model).loss(b.inputs(), b.valid(), b.targets(), b.size(), b.time());
    }
}
