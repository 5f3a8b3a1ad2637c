package io.sparklm.objective;

import io.sparklm.loss.LossResult;
import io.sparklm.loss.PairwiseReward;
import io.sparklm.model.Model;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.RewardModel;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reward-model training on (prompt, chosen, rejected) records (seeds-digest §9):
 * L = −(1/N) Σ log σ(r(x, y_c) − r(x, y_r)) over N pairs ({@link PairwiseReward}), weighted by pairs.
 * Scores: held-out pairwise accuracy, the share of pairs with r(x, y_c) > r(x, y_r) (ties count half).
 */
public final class RewardObjective implements Objective {
    public static final String NAME = "reward";
    public static final int FIELDS = 3;
    private final int blockSize;

    public RewardObjective(int blockSize) {
        this.blockSize = blockSize;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelFamily family() {
        return ModelFamily.REWARD;
    }

    @Override
    public PreferenceBatch sample(Examples examples, int batchSize, Draw draw) {
        return PreferenceBatch.of(examples.drawn(FIELDS, batchSize, draw.rng(0), "(prompt, chosen, rejected) record"), blockSize);
    }

    @Override
    public List<Batch> evaluationBatches(Examples examples, int batchSize, int maxItems) {
        return examples.inOrder(FIELDS, batchSize, maxItems, records -> PreferenceBatch.of(records, blockSize));
    }

    @Override
    public double weight(Model model, Batch batch) {
        return batch.size();
    }

    @Override
    public double lossAndGradient(Model model, Batch batch, double normaliser, Cache cache) {
        RewardModel rm = (RewardModel) model;
        PreferenceBatch p = (PreferenceBatch) batch;
        Cache chosenCache = cache.child("chosen");
        Cache rejectedCache = cache.child("rejected");
        float[] chosen = rm.rewards(p.chosen(), chosenCache);
        float[] rejected = rm.rewards(p.rejected(), rejectedCache);
        LossResult loss = PairwiseReward.compute(chosen, rejected);
        Tensor gradMean = loss.grad();
        int n = chosen.length;
        float scale = (float) (n / normaliser);
        float[] dChosen = new float[n];
        float[] dRejected = new float[n];
        for (int i = 0; i < n; i++) {
            dChosen[i] = gradMean.data[i] * scale;
            dRejected[i] = gradMean.data[n + i] * scale;
        }
        rm.backward(dChosen, chosenCache);
        rm.backward(dRejected, rejectedCache);
        return loss.sum();
    }

    @Override
    public LossResult loss(Model model, Batch batch) {
        RewardModel rm = (RewardModel) model;
        PreferenceBatch p = (PreferenceBatch) batch;
        LossResult loss = PairwiseReward.compute(rm.rewards(p.chosen(), Cache.inference()), rm.rewards(p.rejected(), Cache.inference()));
        return new LossResult(loss.sum(), loss.weight(), null);
    }

    @Override
    public Scores score(Model model, Examples examples, int batchSize, int maxItems) {
        RewardModel rm = (RewardModel) model;
        double correct = 0;
        long pairs = 0;
        for (Batch batch : evaluationBatches(examples, batchSize, maxItems)) {
            PreferenceBatch p = (PreferenceBatch) batch;
            float[] chosen = rm.rewards(p.chosen(), Cache.inference());
            float[] rejected = rm.rewards(p.rejected(), Cache.inference());
            for (int i = 0; i < chosen.length; i++) {
                correct += chosen[i] > rejected[i] ? 1 : chosen[i] == rejected[i] ? 0.5 : 0;
                pairs++;
            }
        }
        return new Agreement(correct, pairs);
    }

    /** Pairs ordered as the preference says (ties half) and pairs seen, of one or more partitions. */
    record Agreement(double correct, long pairs) implements Scores {
        @Override
        public Scores plus(Scores other) {
            Agreement o = (Agreement) other;
            return new Agreement(correct + o.correct, pairs + o.pairs);
        }

        @Override
        public Map<String, Double> figures() {
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("pairwise_accuracy", pairs == 0 ? 0 : correct / pairs);
            f.put("pairs", (double) pairs);
            return f;
        }
    }
}
