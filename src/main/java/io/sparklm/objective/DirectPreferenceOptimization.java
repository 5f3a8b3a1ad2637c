package io.sparklm.objective;

import io.sparklm.data.shard.RecordLayout;
import io.sparklm.loss.LossResult;
import io.sparklm.loss.PairwiseReward;
import io.sparklm.model.Gpt;
import io.sparklm.model.Model;
import io.sparklm.model.ModelFamily;
import io.sparklm.nn.Cache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Direct preference optimisation of a GPT policy π_θ against a frozen reference π_ref, without a
 * reward model (Rafailov et al. 2023, "Direct Preference Optimization: Your Language Model is
 * Secretly a Reward Model", eq. 7):
 * <pre>
 *   rᵢ = β (log π_θ(yᵢ|x) − log π_ref(yᵢ|x))               the implicit reward of response yᵢ
 *   L  = −(1/N) Σ log σ(r_c − r_r)                          over N pairs, weighted by pairs
 *   ∂L/∂log π_θ(y_c|x) = −β σ(r_r − r_c)/N     ∂L/∂log π_θ(y_r|x) = β σ(r_r − r_c)/N
 * </pre>
 * the pairwise loss of seeds-digest §9 ({@link PairwiseReward}) on implicit rewards. log π(y|x) is
 * the sum of the log-probabilities of the response's tokens and the end token after the prompt,
 * the tokens supervised fine-tuning counts ({@link SupervisedFineTuning#batch}, prompt masked,
 * sequences cut to their last blockSize + 1 tokens), read per sequence from the GPT
 * ({@link Gpt#sequenceLogProbs}); the gradient goes back with each sequence weighted by its
 * coefficient above ({@link Gpt#backwardSequenceLogProbs}).
 *
 * <p>Records of {@value #FIELDS} fields, the preference record and the reference's log-probabilities
 * that {@code io.sparklm.rlhf.ReferenceLogProbs} appends ({@link #record}):
 * <pre>
 *   [len, prompt…, len, chosen…, len, rejected…, 1, bits(log π_ref(y_c|x)), 1, bits(log π_ref(y_r|x))]
 * </pre>
 * bits(v) = {@link Float#floatToIntBits}(v), a field of one id. Scores: the held-out implicit-reward
 * accuracy, the share of pairs with r_c − r_r &gt; 0, and the mean margin r_c − r_r.
 */
public final class DirectPreferenceOptimization implements Objective {
    public static final String NAME = "dpo";
    /** Fields of the records DPO trains on: prompt, chosen, rejected, log π_ref(y_c|x), log π_ref(y_r|x). */
    public static final int FIELDS = 5;
    /** Fields of the preference records the reference stage reads: prompt, chosen, rejected. */
    public static final int PREFERENCE_FIELDS = 3;
    /** β of the paper's experiments. */
    public static final double DEFAULT_BETA = 0.1;
    private final SupervisedFineTuning sequences;
    private final double beta;

    /**
     * DPO of sequences of at most {@code blockSize} predicted tokens ending with {@code endId}, β =
     * {@code beta} &gt; 0 (the strength of the pull towards the reference: smaller, further from it).
     */
    public DirectPreferenceOptimization(int blockSize, int endId, double beta) {
        if (!(beta > 0 && Double.isFinite(beta))) {
            throw new IllegalArgumentException("dpo.beta must be a positive number, got " + beta);
        }
        this.sequences = new SupervisedFineTuning(blockSize, endId, true);
        this.beta = beta;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelFamily family() {
        return ModelFamily.DECODER;
    }

    public double beta() {
        return beta;
    }

    /** A record of {@value #FIELDS} fields: the preference and the reference's log-probabilities of its two responses. */
    public static int[] record(int[] prompt, int[] chosen, int[] rejected, float referenceChosen, float referenceRejected) {
        return RecordLayout.encode(prompt, chosen, rejected, new int[] {Float.floatToIntBits(referenceChosen)},
                new int[] {Float.floatToIntBits(referenceRejected)});
    }

    @Override
    public DpoBatch sample(Examples examples, int batchSize, Draw draw) {
        return batch(examples.drawn(FIELDS, batchSize, draw.rng(0), "(prompt, chosen, rejected, reference log-probabilities) record"));
    }

    @Override
    public List<Batch> evaluationBatches(Examples examples, int batchSize, int maxItems) {
        return examples.inOrder(FIELDS, batchSize, maxItems, this::batch);
    }

    /** The batch of records of {@value #FIELDS} fields. */
    public DpoBatch batch(List<int[][]> records) {
        float[] referenceChosen = new float[records.size()];
        float[] referenceRejected = new float[records.size()];
        for (int i = 0; i < records.size(); i++) {
            int[][] r = records.get(i);
            if (r.length != FIELDS || r[3].length != 1 || r[4].length != 1) {
                throw new IllegalArgumentException("DPO record " + i + " needs " + FIELDS + " fields, the last two of one id each "
                        + "(the reference's log-probabilities): run the reference stage (io.sparklm.rlhf.ReferenceLogProbs) first");
            }
            referenceChosen[i] = Float.intBitsToFloat(r[3][0]);
            referenceRejected[i] = Float.intBitsToFloat(r[4][0]);
        }
        return new DpoBatch(side(records, 1), side(records, 2), referenceChosen, referenceRejected);
    }

    /** SFT's sequences prompt · response · end of one side (1 chosen, 2 rejected) of the records. */
    private TokenBatch side(List<int[][]> records, int response) {
        List<int[][]> pairs = new ArrayList<>();
        for (int[][] r : records) {
            pairs.add(new int[][] {r[0], r[response]});
        }
        return sequences.batch(pairs);
    }

    /**
     * log π(y_c|x) and log π(y_r|x) under {@code gpt}, without gradients or dropout, of records whose
     * first three fields are (prompt, chosen, rejected): {@code [chosen (B), rejected (B)]}. The
     * reference stage stores these for π_ref.
     */
    public double[][] logProbs(Gpt gpt, List<int[][]> records) {
        TokenBatch chosen = side(records, 1);
        TokenBatch rejected = side(records, 2);
        return new double[][] {logProbs(gpt, chosen, Cache.inference()), logProbs(gpt, rejected, Cache.inference())};
    }

    private static double[] logProbs(Gpt gpt, TokenBatch b, Cache cache) {
        return gpt.sequenceLogProbs(b.inputs(), b.valid(), b.targets(), b.size(), b.time(), cache);
    }

    /** r_c and r_r: β (log π_θ(y|x) − log π_ref(y|x)) of each pair. */
    private float[][] implicitRewards(double[] chosen, double[] rejected, DpoBatch p) {
        float[][] r = new float[2][chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            r[0][i] = (float) (beta * (chosen[i] - p.referenceChosen()[i]));
            r[1][i] = (float) (beta * (rejected[i] - p.referenceRejected()[i]));
        }
        return r;
    }

    @Override
    public double weight(Model model, Batch batch) {
        return batch.size();
    }

    @Override
    public double lossAndGradient(Model model, Batch batch, double normaliser, Cache cache) {
        Gpt gpt = (Gpt) model;
        DpoBatch p = (DpoBatch) batch;
        Cache chosenCache = cache.child("chosen");
        Cache rejectedCache = cache.child("rejected");
        float[][] r = implicitRewards(logProbs(gpt, p.chosen(), chosenCache), logProbs(gpt, p.rejected(), rejectedCache), p);
        LossResult loss = PairwiseReward.compute(r[0], r[1]);
        int n = p.size();
        double scale = beta * n / normaliser;
        double[] dChosen = new double[n];
        double[] dRejected = new double[n];
        for (int i = 0; i < n; i++) {
            dChosen[i] = loss.grad().data[i] * scale;
            dRejected[i] = loss.grad().data[n + i] * scale;
        }
        gpt.backwardSequenceLogProbs(dChosen, chosenCache);
        gpt.backwardSequenceLogProbs(dRejected, rejectedCache);
        return loss.sum();
    }

    @Override
    public LossResult loss(Model model, Batch batch) {
        DpoBatch p = (DpoBatch) batch;
        float[][] r = rewards((Gpt) model, p);
        LossResult loss = PairwiseReward.compute(r[0], r[1]);
        return new LossResult(loss.sum(), loss.weight(), null);
    }

    private float[][] rewards(Gpt gpt, DpoBatch p) {
        return implicitRewards(logProbs(gpt, p.chosen(), Cache.inference()), logProbs(gpt, p.rejected(), Cache.inference()), p);
    }

    @Override
    public Scores score(Model model, Examples examples, int batchSize, int maxItems) {
        long positive = 0;
        double marginSum = 0;
        long pairs = 0;
        for (Batch batch : evaluationBatches(examples, batchSize, maxItems)) {
            float[][] r = rewards((Gpt) model, (DpoBatch) batch);
            for (int i = 0; i < r[0].length; i++) {
                double margin = (double) r[0][i] - r[1][i];
                positive += margin > 0 ? 1 : 0;
                marginSum += margin;
                pairs++;
            }
        }
        return new ImplicitRewardAgreement(positive, marginSum, pairs);
    }

    /** Pairs whose implicit-reward margin r_c − r_r is positive, the margins' sum and the pairs seen, of one or more partitions. */
    record ImplicitRewardAgreement(long positive, double marginSum, long pairs) implements Scores {
        @Override
        public Scores plus(Scores other) {
            ImplicitRewardAgreement o = (ImplicitRewardAgreement) other;
            return new ImplicitRewardAgreement(positive + o.positive, marginSum + o.marginSum, pairs + o.pairs);
        }

        @Override
        public Map<String, Double> figures() {
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("implicit_reward_accuracy", pairs == 0 ? 0 : (double) positive / pairs);
            f.put("implicit_reward_margin", pairs == 0 ? 0 : marginSum / pairs);
            f.put("pairs", (double) pairs);
            return f;
        }
    }
}
