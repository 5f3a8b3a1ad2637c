package io.sparklm.rlhf;

/**
 * From one rollout's per-token log-probabilities, values and its reward-model score to the PPO
 * targets (seeds-digest §10; Ziegler et al. 2019, "Fine-Tuning Language Models from Human
 * Preferences"; Schulman et al. 2016, "High-Dimensional Continuous Control Using Generalized
 * Advantage Estimation"), as TRL's {@code PPOTrainer} computes them:
 * <pre>
 *   reward     r_t = −β·(log π(a_t) − log π_ref(a_t)),  plus the score at the response's last token
 *   GAE        δ_t = r_t + γ·V_{t+1} − V_t   (V after the last token is 0)
 *              A_t = Σ_l (γλ)^l δ_{t+l},     computed backwards as A_t = δ_t + γλ·A_{t+1}
 *   returns    R_t = A_t + V_t               (the value head's target)
 *   whitening  Â = (A − mean) / √(var + 1e-8), mean and unbiased variance over every token of the batch
 * </pre>
 * γλ = 0 gives one-step TD errors; λ = 1 gives the Monte-Carlo return minus V. Defaults γ = 1, λ = 0.95.
 */
public final class Advantages {
    public static final double DEFAULT_GAMMA = 1.0;
    public static final double DEFAULT_LAMBDA = 0.95;
    /** What TRL's {@code masked_whiten} adds to the variance. */
    static final double WHITEN_EPSILON = 1e-8;

    private Advantages() {
    }

    /** One rollout's advantages A_t and returns R_t, both of the response's length. */
    public record Estimate(float[] advantages, float[] returns) {
    }

    /**
     * Per-token rewards of one response: r_t = −β·(log π(a_t) − log π_ref(a_t)), and the sequence's
     * score added at its last token.
     *
     * @param logProb    T ≥ 1 log π_old(a_t) recorded at rollout
     * @param refLogProb T log π_ref(a_t) of the frozen reference
     * @param score      the reward model's r(x, y) of the whole response
     * @param beta       the KL coefficient β ≥ 0 ({@link KlController#beta})
     */
    public static float[] rewards(float[] logProb, float[] refLogProb, double score, double beta) {
        requireTokens("logProb", logProb, "refLogProb", refLogProb);
        float[] r = new float[logProb.length];
        for (int t = 0; t < r.length; t++) {
            r[t] = (float) (-beta * ((double) logProb[t] - refLogProb[t]));
        }
        r[r.length - 1] += (float) score;
        return r;
    }

    /**
     * Generalised advantage estimation over one response.
     *
     * @param rewards T ≥ 1 per-token rewards r_t ({@link #rewards})
     * @param values  T value estimates V_t recorded at rollout
     * @param gamma   discount γ in [0, 1]
     * @param lambda  GAE's λ in [0, 1]
     */
    public static Estimate gae(float[] rewards, float[] values, double gamma, double lambda) {
        requireTokens("rewards", rewards, "values", values);
        if (!(gamma >= 0 && gamma <= 1) || !(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("γ and λ must be in [0, 1], got " + gamma + " and " + lambda);
        }
        int n = rewards.length;
        float[] advantages = new float[n];
        float[] returns = new float[n];
        double next = 0;
        double lastAdvantage = 0;
        for (int t = n - 1; t >= 0; t--) {
            double delta = rewards[t] + gamma * next - values[t];
            lastAdvantage = delta + gamma * lambda * lastAdvantage;
            advantages[t] = (float) lastAdvantage;
            returns[t] = (float) (lastAdvantage + values[t]);
            next = values[t];
        }
        return new Estimate(advantages, returns);
    }

    /**
     * The batch's advantages whitened together: (A − mean)/√(var + 1e-8) with the mean and the
     * unbiased variance over all N ≥ 2 tokens of all responses (TRL's {@code masked_whiten}).
     *
     * @param advantages one array per response
     * @return new arrays of the same lengths
     */
    public static float[][] whiten(float[][] advantages) {
        long n = 0;
        double sum = 0;
        for (float[] a : advantages) {
            for (float x : a) {
                sum += x;
                n++;
            }
        }
        if (n < 2) {
            throw new IllegalArgumentException("whitening needs at least 2 tokens in the batch, got " + n
                    + "; sample more rollouts per iteration");
        }
        double mean = sum / n;
        double squares = 0;
        for (float[] a : advantages) {
            for (float x : a) {
                squares += (x - mean) * (x - mean);
            }
        }
        double scale = 1 / Math.sqrt(squares / (n - 1) + WHITEN_EPSILON);
        float[][] out = new float[advantages.length][];
        for (int i = 0; i < advantages.length; i++) {
            out[i] = new float[advantages[i].length];
            for (int t = 0; t < out[i].length; t++) {
                out[i][t] = (float) ((advantages[i][t] - mean) * scale);
            }
        }
        return out;
    }

    /**
     * The KL the controller sees: the mean over responses of Σ_t (log π_old(a_t) − log π_ref(a_t)),
     * TRL's {@code mean_kl}.
     */
    public static double meanSequenceKl(float[][] logProb, float[][] refLogProb) {
        if (logProb.length != refLogProb.length || logProb.length == 0) {
            throw new IllegalArgumentException("need the same positive number of responses, got " + logProb.length + " and "
                    + refLogProb.length);
        }
        double sum = 0;
        for (int i = 0; i < logProb.length; i++) {
            requireTokens("logProb", logProb[i], "refLogProb", refLogProb[i]);
            for (int t = 0; t < logProb[i].length; t++) {
                sum += (double) logProb[i][t] - refLogProb[i][t];
            }
        }
        return sum / logProb.length;
    }

    private static void requireTokens(String name, float[] values, String otherName, float[] other) {
        if (values.length != other.length || values.length == 0) {
            throw new IllegalArgumentException(name + " and " + otherName + " must hold one value per response token, got "
                    + values.length + " and " + other.length);
        }
    }
}
