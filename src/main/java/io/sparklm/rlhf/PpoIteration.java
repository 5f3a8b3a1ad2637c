package io.sparklm.rlhf;

import io.sparklm.objective.ProximalPolicyOptimization;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * One PPO iteration's data, from rollouts to the records {@link ProximalPolicyOptimization} trains on:
 * <pre>
 *   scores     s = score(rollouts)                       one per rollout (a reward model stage, say)
 *   rewards    r_t = −β·(log π_old − log π_ref) + s at the last token       {@link Advantages#rewards}
 *   GAE        A_t, R_t = A_t + V_t                                         {@link Advantages#gae}
 *   whitening  Â over the whole iteration's tokens; returns keep the raw A  {@link Advantages#whiten}
 *   records    (prompt, response, log π_old, Â, R, V_old)                  {@link ProximalPolicyOptimization#encode}
 *   β          the controller updated with the mean sequence KL and the number of rollouts
 * </pre>
 */
public final class PpoIteration {
    private PpoIteration() {
    }

    /**
     * @param records   the rollouts' PPO records, packed one after another in rollout order
     * @param kl        the KL controller for the next iteration
     * @param meanKl    mean over rollouts of Σ_t (log π_old − log π_ref)
     * @param meanScore mean sequence score
     */
    public record Result(int[] records, KlController kl, double meanKl, double meanScore) {
    }

    /**
     * @param scores a score per rollout, in order
     * @param kl     this iteration's controller (its β penalises the rewards)
     */
    public static Result records(List<Rollouts.Rollout> rollouts, Function<List<Rollouts.Rollout>, float[]> scores, KlController kl,
                                 double gamma, double lambda) {
        float[] score = scores.apply(rollouts);
        if (score.length != rollouts.size()) {
            throw new IllegalArgumentException("the score function gave " + score.length + " scores for " + rollouts.size() + " rollouts");
        }
        int n = rollouts.size();
        float[][] advantages = new float[n][];
        float[][] returns = new float[n][];
        float[][] logProb = new float[n][];
        float[][] refLogProb = new float[n][];
        double scoreSum = 0;
        for (int i = 0; i < n; i++) {
            Rollouts.Rollout r = rollouts.get(i);
            float[] rewards = Advantages.rewards(r.logProb(), r.refLogProb(), score[i], kl.beta());
            Advantages.Estimate e = Advantages.gae(rewards, r.value(), gamma, lambda);
            advantages[i] = e.advantages();
            returns[i] = e.returns();
            logProb[i] = r.logProb();
            refLogProb[i] = r.refLogProb();
            scoreSum += score[i];
        }
        float[][] whitened = Advantages.whiten(advantages);
        int[][] encoded = new int[n][];
        for (int i = 0; i < n; i++) {
            Rollouts.Rollout r = rollouts.get(i);
            encoded[i] = ProximalPolicyOptimization.encode(r.prompt(), r.response(), r.logProb(), whitened[i], returns[i], r.value());
        }
        double meanKl = Advantages.meanSequenceKl(logProb, refLogProb);
        return new Result(Arrays.stream(encoded).flatMapToInt(Arrays::stream).toArray(), kl.update(meanKl, n), meanKl, scoreSum / n);
    }
}
