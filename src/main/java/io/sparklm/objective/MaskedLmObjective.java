package io.sparklm.objective;

import io.sparklm.loss.LossResult;
import io.sparklm.loss.MaskedLmMasking;
import io.sparklm.model.Bert;
import io.sparklm.model.Model;
import io.sparklm.model.ModelFamily;
import io.sparklm.nn.Cache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * BERT's masked-LM objective (Devlin et al., 2019; seeds-digest §7): windows of T tokens of the
 * worker's stream, 15% of their non-special tokens selected and replaced 80/10/10
 * ({@link MaskedLmMasking}), and L = −(1/|S|) Σ_{t∈S} log P(x_t | x̃) over the selected positions,
 * weighted by |S|. Training masks are drawn from (seed, round, partition, step, sequence), so a
 * retried task masks identically; validation blocks are masked from (seed, block) alone, so
 * validation loss compares across rounds.
 *
 * <p>Scores: the masked positions' loss beside that of the unigram model of the validation tokens
 * themselves, −Σ_{t∈S} log(c_{x_t}/N) / |S| with c the counts of the N validation tokens (fitted on
 * the very data it scores, so no unigram model does better): the floor a model of context must beat.
 */
public final class MaskedLmObjective implements Objective {
    public static final String NAME = "mlm";
    /** The stream key of validation masks, apart from every (round, partition) of training. */
    private static final long VALIDATION = -1;
    private final int blockSize;
    private final long seed;
    private final MaskedLmMasking masking;

    /**
     * @param blockSize  T, the window length
     * @param seed       the run's seed, for validation masks
     * @param maskId     the [MASK] id
     * @param specialIds ids never selected ([CLS], [SEP], [PAD], [UNK], [MASK])
     */
    public MaskedLmObjective(int blockSize, long seed, int vocabSize, int maskId, int... specialIds) {
        this.blockSize = blockSize;
        this.seed = seed;
        this.masking = new MaskedLmMasking(vocabSize, maskId, specialIds);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelFamily family() {
        return ModelFamily.ENCODER;
    }

    @Override
    public TokenBatch sample(Examples examples, int batchSize, Draw draw) {
        TokenBatch windows = TokenBatch.of(new BatchSampler(examples.tokens(), batchSize, blockSize).sample(draw.rng(0)));
        long[] stream = Arrays.copyOf(draw.keys(), draw.keys().length + 1);
        stream[stream.length - 1] = 2;
        return masked(windows.inputs(), batchSize, draw.seed(), stream);
    }

    @Override
    public List<Batch> evaluationBatches(Examples examples, int batchSize, int maxItems) {
        List<Batch> batches = new ArrayList<>();
        int first = 0;
        for (int[] blocks : BatchSampler.consecutiveBlocks(examples.tokens(), blockSize, batchSize, maxItems)) {
            int n = blocks.length / (blockSize + 1);
            int[] ids = new int[n * blockSize];
            for (int b = 0; b < n; b++) {
                System.arraycopy(blocks, b * (blockSize + 1), ids, b * blockSize, blockSize);
            }
            batches.add(masked(ids, n, seed, VALIDATION, first));
            first += n;
        }
        return batches;
    }

    private TokenBatch masked(int[] ids, int batchSize, long seed, long... stream) {
        MaskedLmMasking.Masked m = masking.mask(ids, blockSize, seed, stream);
        return new TokenBatch(m.inputs(), m.targets(), null, batchSize, blockSize);
    }

    @Override
    public double weight(Model model, Batch batch) {
        return ((Bert) model).targetWeight(((TokenBatch) batch).targets());
    }

    @Override
    public double lossAndGradient(Model model, Batch batch, double normaliser, Cache cache) {
        TokenBatch b = (TokenBatch) batch;
        return ((Bert) model).lossAndGradient(b.inputs(), b.valid(), b.targets(), b.size(), b.time(), normaliser, cache).sum();
    }

    @Override
    public LossResult loss(Model model, Batch batch) {
        TokenBatch b = (TokenBatch) batch;
        return ((Bert) model).loss(b.inputs(), b.valid(), b.targets(), b.size(), b.time());
    }

    @Override
    public Scores score(Model model, Examples examples, int batchSize, int maxItems) {
        Bert bert = (Bert) model;
        long[] tokens = new long[bert.config().vocabSize()];
        long[] masked = new long[tokens.length];
        double lossSum = 0;
        for (Batch batch : evaluationBatches(examples, batchSize, maxItems)) {
            TokenBatch b = (TokenBatch) batch;
            lossSum += loss(model, b).sum();
            for (int i = 0; i < b.targets().length; i++) {
                boolean selected = b.targets()[i] != io.sparklm.loss.CrossEntropy.DEFAULT_IGNORE_INDEX;
                int original = selected ? b.targets()[i] : b.inputs()[i];
                tokens[original]++;
                if (selected) {
                    masked[original]++;
                }
            }
        }
        return new UnigramFloor(lossSum, tokens, masked);
    }

    /** The masked loss sum, the validation token counts and the masked targets' counts, of one or more partitions. */
    record UnigramFloor(double lossSum, long[] tokens, long[] masked) implements Scores {
        @Override
        public Scores plus(Scores other) {
            UnigramFloor o = (UnigramFloor) other;
            long[] t = tokens.clone();
            long[] m = masked.clone();
            for (int v = 0; v < t.length; v++) {
                t[v] += o.tokens[v];
                m[v] += o.masked[v];
            }
            return new UnigramFloor(lossSum + o.lossSum, t, m);
        }

        @Override
        public Map<String, Double> figures() {
            long n = Arrays.stream(tokens).sum();
            long selected = Arrays.stream(masked).sum();
            double unigram = 0;
            for (int v = 0; v < tokens.length; v++) {
                if (masked[v] > 0) {
                    unigram -= masked[v] * Math.log((double) tokens[v] / n);
                }
            }
            Map<String, Double> f = new java.util.LinkedHashMap<>();
            f.put("val_loss", selected == 0 ? 0 : lossSum / selected);
            f.put("unigram_loss", selected == 0 ? 0 : unigram / selected);
            f.put("masked_tokens", (double) selected);
            return f;
        }
    }
}
