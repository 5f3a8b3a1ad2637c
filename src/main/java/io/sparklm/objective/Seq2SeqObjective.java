package io.sparklm.objective;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.loss.LossResult;
import io.sparklm.model.EncoderDecoder;
import io.sparklm.model.Model;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.PaddedSequences;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Rng;
import io.sparklm.eval.Seq2SeqGenerator;
import io.sparklm.metrics.Bleu;
import io.sparklm.metrics.Rouge;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * Sequence-to-sequence training with teacher forcing: for a pair (x, y) of a source and a target,
 * the decoder reads [start, y₁ … y_n] and predicts [y₁ … y_n, end], so
 * <pre>
 *   L = −(1/N) Σ_pairs Σ_{t=1}^{n+1} log P(ŷ_t | start, y_&lt;t, x),   ŷ = [y₁ … y_n, end]
 * </pre>
 * with N the target tokens counted (each pair's n + 1), the weight of a batch. Sources, decoder
 * inputs and targets are truncated to blockSize, then right-padded to the batch's longest (id 0,
 * valid false, target −100). The worker's examples are records of two fields, source ids and
 * target ids ({@link io.sparklm.data.shard.RecordLayout#encode}).
 *
 * <p>Scores: each validation source decoded greedily (at most blockSize − 1 tokens) and compared
 * with its target by corpus BLEU-4 and ROUGE-1/2/L (seeds-digest §15, {@link Bleu}, {@link Rouge});
 * beside them the same figures for copying the source, a floor that needs no model.
 */
public final class Seq2SeqObjective implements Objective {
    public static final String NAME = "seq2seq";
    /** Fields of a record: source, target. */
    public static final int FIELDS = 2;
    private final int blockSize;
    private final int startId;
    private final int endId;

    /** Pairs of at most {@code blockSize} source tokens and decoder positions; start and end are in practice the tokenizer's end-of-text id. */
    public Seq2SeqObjective(int blockSize, int startId, int endId) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be positive, got " + blockSize);
        }
        this.blockSize = blockSize;
        this.startId = startId;
        this.endId = endId;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelFamily family() {
        return ModelFamily.SEQ2SEQ;
    }

    /** {@code batchSize} records drawn uniformly, with replacement, by {@code draw.rng(0)}. */
    @Override
    public Seq2SeqBatch sample(Examples examples, int batchSize, Draw draw) {
        return batch(examples.drawn(FIELDS, batchSize, draw.rng(0), "(source, target) record"));
    }

    @Override
    public List<Batch> evaluationBatches(Examples examples, int batchSize, int maxItems) {
        return examples.inOrder(FIELDS, batchSize, maxItems, this::batch);
    }

    /** The teacher-forcing batch of (source, target) pairs, each {source ids, target ids}. */
    public Seq2SeqBatch batch(List<int[][]> pairs) {
        int[][] sources = new int[pairs.size()][];
        int[][] inputs = new int[pairs.size()][];
        int[][] targets = new int[pairs.size()][];
        for (int b = 0; b < pairs.size(); b++) {
            int[] source = pairs.get(b)[0];
            int[] target = pairs.get(b)[1];
            int n = Math.min(target.length + 1, blockSize);
            sources[b] = Arrays.copyOf(source, Math.min(source.length, blockSize));
            inputs[b] = new int[n];
            inputs[b][0] = startId;
            System.arraycopy(target, 0, inputs[b], 1, n - 1);
            targets[b] = Arrays.copyOf(target, n);
            if (n == target.length + 1) {
                targets[b][n - 1] = endId;
            }
        }
        PaddedSequences decoderInputs = PaddedSequences.rightPadded(inputs);
        int[] paddedTargets = new int[decoderInputs.ids().length];
        Arrays.fill(paddedTargets, CrossEntropy.DEFAULT_IGNORE_INDEX);
        for (int b = 0; b < targets.length; b++) {
            System.arraycopy(targets[b], 0, paddedTargets, b * decoderInputs.time(), targets[b].length);
        }
        return new Seq2SeqBatch(PaddedSequences.rightPadded(sources), decoderInputs, paddedTargets);
    }

    @Override
    public double weight(Model model, Batch batch) {
        return ((EncoderDecoder) model).targetWeight(((Seq2SeqBatch) batch).targets());
    }

    @Override
    public double lossAndGradient(Model model, Batch batch, double normaliser, Cache cache) {
        Seq2SeqBatch b = (Seq2SeqBatch) batch;
        return ((EncoderDecoder) model).lossAndGradient(b.source(), b.inputs(), b.targets(), normaliser, cache).sum();
    }

    @Override
    public LossResult loss(Model model, Batch batch) {
        Seq2SeqBatch b = (Seq2SeqBatch) batch;
        return ((EncoderDecoder) model).loss(b.source(), b.inputs(), b.targets());
    }

    @Override
    public Scores score(Model model, Examples examples, int batchSize, int maxItems) {
        Seq2SeqGenerator generator = new Seq2SeqGenerator((EncoderDecoder) model, startId, endId);
        int n = Math.min(maxItems, examples.records(FIELDS));
        Overlap decoded = new Overlap(new Bleu(), new Rouge());
        Overlap copied = new Overlap(new Bleu(), new Rouge());
        for (int first = 0; first < n; first += batchSize) {
            int end = Math.min(n, first + batchSize);
            int[][] sources = new int[end - first][];
            int[][] targets = new int[end - first][];
            for (int i = first; i < end; i++) {
                int[][] record = examples.record(i, FIELDS);
                sources[i - first] = Arrays.copyOf(record[0], Math.min(record[0].length, blockSize));
                targets[i - first] = record[1];
            }
            int[][] outputs = generator.generate(sources, blockSize - 1, 0, 0, new io.sparklm.tensor.Rng(0));
            for (int i = 0; i < sources.length; i++) {
                decoded.add(outputs[i], targets[i]);
                copied.add(sources[i], targets[i]);
            }
        }
        return new Overlaps(decoded, copied);
    }

    /** BLEU and ROUGE counts of one set of candidates. */
    record Overlap(Bleu bleu, Rouge rouge) implements java.io.Serializable {
        void add(int[] candidate, int[] reference) {
            bleu.add(candidate, reference);
            rouge.add(candidate, reference);
        }

        Overlap plus(Overlap other) {
            return new Overlap(bleu.plus(other.bleu), rouge.plus(other.rouge));
        }
    }

    /** The decoded outputs' overlap with the targets, and the copied sources'. */
    record Overlaps(Overlap decoded, Overlap copied) implements Scores {
        @Override
        public Scores plus(Scores other) {
            Overlaps o = (Overlaps) other;
            return new Overlaps(decoded.plus(o.decoded), copied.plus(o.copied));
        }

        @Override
        public Map<String, Double> figures() {
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("bleu", decoded.bleu().score());
            f.put("rouge1", decoded.rouge().rouge1());
            f.put("rouge2", decoded.rouge().rouge2());
            f.put("rougeL", decoded.rouge().rougeL());
            f.put("copy_bleu", copied.bleu().score());
            f.put("copy_rougeL", copied.rouge().rougeL());
            f.put("pairs", (double) decoded.rouge().count());
            return f;
        }
    }
}
