package io.sparklm.objective;

import io.sparklm.model.PaddedSequences;
import io.sparklm.loss.InfoNce;
import io.sparklm.loss.LossResult;
import io.sparklm.metrics.RetrievalCounts;
import io.sparklm.model.DualEncoder;
import io.sparklm.model.DualEncoder.Side;
import io.sparklm.model.Model;
import io.sparklm.model.ModelFamily;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Contrastive training of a {@link DualEncoder} with the symmetric InfoNCE loss (seeds-digest §8,
 * {@link InfoNce}) over records (a, b): the negatives of a pair are the other pairs of the same
 * batch on the same worker. Nothing is gathered across executors, so the number of negatives is
 * train.batchSize − 1 whatever the number of workers; the batch is never cut into micro-batches
 * ({@link #independentItems} is false). The average weighs workers by pairs.
 *
 * <p>Scores: each validation partition is cut into groups of {@code candidates} consecutive pairs;
 * for every a, the rank of its own b among the group's b's by similarity gives MRR and recall@1/@5
 * ({@link RetrievalCounts}). Ranking at random gives MRR (1/G)·Σ_{k≤G} 1/k for groups of G.
 */
public final class ContrastiveObjective implements Objective {
    public static final String NAME = "contrastive";
    static final int FIELDS = 2;
    private final InfoNce loss;
    private final int candidates;

    /** @param candidates G, the candidate set a retrieval score ranks among */
    public ContrastiveObjective(boolean cosine, int candidates) {
        this.loss = new InfoNce(cosine ? InfoNce.Similarity.COSINE : InfoNce.Similarity.DOT);
        this.candidates = candidates;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelFamily family() {
        return ModelFamily.CONTRASTIVE;
    }

    @Override
    public boolean independentItems() {
        return false;
    }

    @Override
    public PairBatch sample(Examples examples, int batchSize, Draw draw) {
        return batch(examples, examples.drawRecords(FIELDS, batchSize, draw.rng(0), "pair (tokenize records of two fields)"));
    }

    private static PairBatch batch(Examples examples, int[] records) {
        List<int[]> a = new ArrayList<>();
        List<int[]> b = new ArrayList<>();
        for (int r : records) {
            int[][] record = examples.record(r, FIELDS);
            a.add(record[0]);
            b.add(record[1]);
        }
        return new PairBatch(PaddedSequences.rightPadded(a.toArray(int[][]::new)), PaddedSequences.rightPadded(b.toArray(int[][]::new)));
    }

    @Override
    public List<Batch> evaluationBatches(Examples examples, int batchSize, int maxItems) {
        int n = Math.min(maxItems, examples.records(FIELDS));
        List<Batch> batches = new ArrayList<>();
        for (int first = 0; first + 1 < n; first += batchSize) {
            int end = Math.min(n, first + batchSize);
            batches.add(batch(examples, java.util.stream.IntStream.range(first, end).toArray()));
        }
        return batches;
    }

    @Override
    public double weight(Model model, Batch batch) {
        return batch.size();
    }

    @Override
    public double lossAndGradient(Model model, Batch batch, double normaliser, Cache cache) {
        DualEncoder encoder = (DualEncoder) model;
        PairBatch p = (PairBatch) batch;
        Cache ca = cache.child("a");
        Cache cb = cache.child("b");
        Tensor ea = encoder.embed(Side.A, p.a().ids(), p.a().valid(), p.size(), p.a().time(), ca);
        Tensor eb = encoder.embed(Side.B, p.b().ids(), p.b().valid(), p.size(), p.b().time(), cb);
        InfoNce.Result r = loss.compute(ea, eb, encoder.logTemperature(), normaliser);
        encoder.backward(Side.A, r.gradA(), ca);
        encoder.backward(Side.B, r.gradB(), cb);
        encoder.addTemperatureGradient(r.gradLogTemperature());
        return r.sum();
    }

    @Override
    public LossResult loss(Model model, Batch batch) {
        DualEncoder encoder = (DualEncoder) model;
        PairBatch p = (PairBatch) batch;
        InfoNce.Result r = loss.compute(embed(encoder, Side.A, p.a()), embed(encoder, Side.B, p.b()), encoder.logTemperature());
        return new LossResult(r.sum(), r.weight(), null);
    }

    private static Tensor embed(DualEncoder encoder, Side side, PaddedSequences s) {
        return encoder.embed(side, s.ids(), s.valid(), s.size(), s.time(), Cache.inference());
    }

    @Override
    public Scores score(Model model, Examples examples, int batchSize, int maxItems) {
        DualEncoder encoder = (DualEncoder) model;
        RetrievalCounts counts = new RetrievalCounts();
        int n = Math.min(maxItems, examples.records(FIELDS));
        for (int first = 0; first + candidates <= n; first += candidates) {
            PairBatch group = batch(examples, java.util.stream.IntStream.range(first, first + candidates).toArray());
            Tensor ea = embedInBatches(encoder, Side.A, group.a(), batchSize);
            Tensor eb = embedInBatches(encoder, Side.B, group.b(), batchSize);
            float[] similarity = loss.similarities(ea, eb);
            for (int i = 0; i < candidates; i++) {
                int rank = 1;
                float own = similarity[i * candidates + i];
                for (int j = 0; j < candidates; j++) {
                    if (j != i && similarity[i * candidates + j] >= own) {
                        rank++;
                    }
                }
                counts.add(rank);
            }
        }
        return new Retrieval(counts, candidates);
    }

    private static Tensor embedInBatches(DualEncoder encoder, Side side, PaddedSequences s, int batchSize) {
        Tensor out = null;
        for (int first = 0; first < s.size(); first += batchSize) {
            Tensor part = embed(encoder, side, s.slice(first, Math.min(s.size(), first + batchSize)));
            if (out == null) {
                out = Tensor.zeros(s.size(), part.dim(1));
            }
            System.arraycopy(part.data, 0, out.data, first * part.dim(1), part.size());
        }
        return out;
    }

    /** Retrieval counts of one or more partitions, with the chance MRR of their group size. */
    record Retrieval(RetrievalCounts counts, int candidates) implements Scores {
        @Override
        public Scores plus(Scores other) {
            return new Retrieval(counts.plus(((Retrieval) other).counts), candidates);
        }

        @Override
        public Map<String, Double> figures() {
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("mrr", counts.meanReciprocalRank());
            f.put("recall_at_1", counts.hitsAt1());
            f.put("recall_at_5", counts.hitsAt5());
            double chance = 0;
            for (int k = 1; k <= candidates; k++) {
                chance += 1.0 / k;
            }
            f.put("chance_mrr", chance / candidates);
            f.put("queries", (double) counts.count());
            return f;
        }
    }
}
