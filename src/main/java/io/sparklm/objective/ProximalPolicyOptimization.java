package io.sparklm.objective;

import io.sparklm.data.shard.RecordLayout;
import io.sparklm.loss.CrossEntropy;
import io.sparklm.loss.LossResult;
import io.sparklm.loss.Ppo;
import io.sparklm.model.Model;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.PaddedSequences;
import io.sparklm.model.PolicyValue;
import io.sparklm.nn.Cache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PPO's update of a {@link PolicyValue} on rollouts (Schulman et al. 2017; seeds-digest §10), per
 * response token t, with the terms of {@link Ppo}:
 * <pre>
 *   L_t = −min(r_t A_t, clip(r_t, 1−ε, 1+ε) A_t)                          r_t = exp(log π_θ(a_t) − log π_old(a_t))
 *       + c₁·max((V_t − R_t)², (V_old + clip(V_t − V_old, −c, c) − R_t)²)
 *       − c₂·H(π_θ(·|s_t))
 *   L   = (1/N) Σ_t L_t,   N the response tokens (the batch weight)
 * </pre>
 * with TRL's defaults ε = 0.2, c = 0.2, c₁ = 0.1 and c₂ = 0. The state s_t is prompt · response[&lt;t],
 * so a_t = response[t] is scored at position |prompt| − 1 + t.
 *
 * <p>Records of {@value #FIELDS} fields, one rollout each ({@link #encode}):
 * <pre>
 *   [P, prompt ids…, R, response ids…, R, old log π bits…, R, advantage bits…, R, return bits…, R, old value bits…]
 * </pre>
 * the four per-token float fields stored as {@link Float#floatToIntBits} ids; P ≥ 1, R ≥ 1 and
 * P + R − 1 ≤ blockSize.
 */
public final class ProximalPolicyOptimization implements Objective {
    public static final String NAME = "ppo";
    public static final int FIELDS = 6;
    /** TRL's {@code vf_coef}. */
    public static final double DEFAULT_VALUE_COEFFICIENT = 0.1;
    private final double clip;
    private final double valueClip;
    private final double valueCoefficient;
    private final double entropyCoefficient;

    /**
     * @param clip               ε in (0, 1) for the ratio
     * @param valueClip          c &gt; 0 for the value around the old value
     * @param valueCoefficient   c₁ ≥ 0
     * @param entropyCoefficient c₂ ≥ 0
     */
    public ProximalPolicyOptimization(double clip, double valueClip, double valueCoefficient, double entropyCoefficient) {
        if (!(clip > 0 && clip < 1) || !(valueClip > 0) || !(valueCoefficient >= 0) || !(entropyCoefficient >= 0)) {
            throw new IllegalArgumentException("ppo needs clip in (0, 1), a positive value clip and coefficients ≥ 0, got " + clip + ", "
                    + valueClip + ", " + valueCoefficient + " and " + entropyCoefficient);
        }
        this.clip = clip;
        this.valueClip = valueClip;
        this.valueCoefficient = valueCoefficient;
        this.entropyCoefficient = entropyCoefficient;
    }

    /** TRL's defaults with entropy coefficient c₂. */
    public ProximalPolicyOptimization(double entropyCoefficient) {
        this(Ppo.DEFAULT_CLIP, Ppo.DEFAULT_CLIP, DEFAULT_VALUE_COEFFICIENT, entropyCoefficient);
    }

    /** One rollout's record. */
    public static int[] encode(int[] prompt, int[] response, float[] oldLogProb, float[] advantage, float[] returns, float[] oldValue) {
        for (float[] f : new float[][] {oldLogProb, advantage, returns, oldValue}) {
            if (f.length != response.length) {
                throw new IllegalArgumentException("a rollout of " + response.length + " response tokens needs that many log-probs, "
                        + "advantages, returns and values, got " + f.length);
            }
        }
        return RecordLayout.encode(prompt, response, bits(oldLogProb), bits(advantage), bits(returns), bits(oldValue));
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToIntBits(values[i]);
        }
        return out;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelFamily family() {
        return ModelFamily.POLICY;
    }

    @Override
    public RolloutBatch sample(Examples examples, int batchSize, Draw draw) {
        List<int[][]> rollouts = new ArrayList<>();
        for (int i : examples.drawRecords(FIELDS, batchSize, draw.rng(0), "rollout record")) {
            rollouts.add(examples.record(i, FIELDS));
        }
        return batch(rollouts);
    }

    @Override
    public List<Batch> evaluationBatches(Examples examples, int batchSize, int maxItems) {
        int n = Math.min(maxItems, examples.records(FIELDS));
        List<Batch> batches = new ArrayList<>();
        for (int first = 0; first < n; first += batchSize) {
            List<int[][]> rollouts = new ArrayList<>();
            for (int i = first; i < Math.min(n, first + batchSize); i++) {
                rollouts.add(examples.record(i, FIELDS));
            }
            batches.add(batch(rollouts));
        }
        return batches;
    }

    /** The batch of decoded records (fields as {@link Examples#record} returns them). */
    public static RolloutBatch batch(List<int[][]> rollouts) {
        int[][] inputs = new int[rollouts.size()][];
        for (int b = 0; b < inputs.length; b++) {
            int[] prompt = rollouts.get(b)[0];
            int[] response = rollouts.get(b)[1];
            if (prompt.length == 0 || response.length == 0) {
                throw new IllegalArgumentException("rollout " + b + " has " + prompt.length + " prompt and " + response.length
                        + " response tokens; both need at least one");
            }
            inputs[b] = new int[prompt.length + response.length - 1];
            System.arraycopy(prompt, 0, inputs[b], 0, prompt.length);
            System.arraycopy(response, 0, inputs[b], prompt.length, response.length - 1);
        }
        PaddedSequences padded = PaddedSequences.rightPadded(inputs);
        int n = padded.ids().length;
        int[] actions = new int[n];
        Arrays.fill(actions, CrossEntropy.DEFAULT_IGNORE_INDEX);
        float[][] perToken = new float[4][n];
        for (int b = 0; b < inputs.length; b++) {
            int[][] fields = rollouts.get(b);
            int at = b * padded.time() + fields[0].length - 1;
            System.arraycopy(fields[1], 0, actions, at, fields[1].length);
            for (int f = 0; f < 4; f++) {
                for (int t = 0; t < fields[1].length; t++) {
                    perToken[f][at + t] = Float.intBitsToFloat(fields[2 + f][t]);
                }
            }
        }
        return new RolloutBatch(padded, actions, perToken[0], perToken[1], perToken[2], perToken[3]);
    }

    @Override
    public double weight(Model model, Batch batch) {
        return scored(((RolloutBatch) batch).actions()).length;
    }

    @Override
    public double lossAndGradient(Model model, Batch batch, double normaliser, Cache cache) {
        RolloutBatch b = (RolloutBatch) batch;
        PolicyValue policy = (PolicyValue) model;
        Terms terms = terms(b, policy.forward(b.inputs(), b.actions(), cache));
        int n = b.actions().length;
        int[] at = terms.positions;
        double perMean = at.length / normaliser;
        float[] dLogProb = new float[n];
        float[] dEntropy = new float[n];
        float[] dValue = new float[n];
        for (int i = 0; i < at.length; i++) {
            dLogProb[at[i]] = (float) (terms.policy.grad().data[i] * perMean);
            dValue[at[i]] = (float) (valueCoefficient * terms.value.grad().data[i] * perMean);
            dEntropy[at[i]] = (float) (-entropyCoefficient / normaliser);
        }
        policy.backward(dLogProb, dEntropy, dValue, cache);
        return terms.lossSum();
    }

    @Override
    public LossResult loss(Model model, Batch batch) {
        RolloutBatch b = (RolloutBatch) batch;
        Terms terms = terms(b, ((PolicyValue) model).forward(b.inputs(), b.actions(), Cache.inference()));
        return new LossResult(terms.lossSum(), terms.positions.length, null);
    }

    @Override
    public PpoScores score(Model model, Examples examples, int batchSize, int maxItems) {
        PpoScores total = new PpoScores(0, 0, 0, 0, 0);
        for (Batch batch : evaluationBatches(examples, batchSize, maxItems)) {
            RolloutBatch b = (RolloutBatch) batch;
            Terms terms = terms(b, ((PolicyValue) model).forward(b.inputs(), b.actions(), Cache.inference()));
            double clipped = 0;
            double approxKl = 0;
            for (int i = 0; i < terms.positions.length; i++) {
                clipped += Math.abs(Math.exp((double) terms.logProb[i] - terms.oldLogProb[i]) - 1) > clip ? 1 : 0;
                approxKl += (double) terms.oldLogProb[i] - terms.logProb[i];
            }
            total = total.plus(new PpoScores(terms.positions.length, clipped, approxKl, terms.entropySum, terms.value.sum()));
        }
        return total;
    }

    /** The scored positions, their log π_θ and old log π, and the policy and value losses and entropy sum over them. */
    private record Terms(int[] positions, float[] logProb, float[] oldLogProb, LossResult policy, LossResult value, double entropySum,
                         double valueCoefficient, double entropyCoefficient) {
        double lossSum() {
            return policy.sum() + valueCoefficient * value.sum() - entropyCoefficient * entropySum;
        }
    }

    private Terms terms(RolloutBatch b, PolicyValue.Outputs out) {
        int[] at = scored(b.actions());
        float[] logProb = gather(out.logProb(), at);
        float[] oldLogProb = gather(b.oldLogProb(), at);
        LossResult policy = Ppo.policyFromLogProbs(logProb, oldLogProb, gather(b.advantage(), at), clip);
        LossResult value = Ppo.clippedValue(gather(out.value(), at), gather(b.oldValue(), at), gather(b.returns(), at), valueClip);
        double entropySum = 0;
        for (int i : at) {
            entropySum += out.entropy()[i];
        }
        return new Terms(at, logProb, oldLogProb, policy, value, entropySum, valueCoefficient, entropyCoefficient);
    }

    private static int[] scored(int[] actions) {
        return java.util.stream.IntStream.range(0, actions.length).filter(i -> actions[i] != CrossEntropy.DEFAULT_IGNORE_INDEX).toArray();
    }

    private static float[] gather(float[] values, int[] at) {
        float[] out = new float[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = values[at[i]];
        }
        return out;
    }
}
