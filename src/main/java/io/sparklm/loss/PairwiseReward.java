package io.sparklm.loss;

import io.sparklm.tensor.Tensor;

/**
 * The pairwise (Bradley–Terry) reward-model loss on (chosen, rejected) reward pairs:
 * <pre>
 *   L = −log σ(r_c − r_r) = softplus(r_r − r_c)
 *   ∂L/∂r_c = −σ(r_r − r_c)        ∂L/∂r_r = σ(r_r − r_c)
 * </pre>
 * (Ouyang et al. 2022, "Training language models to follow instructions with human feedback",
 * eq. 1; seeds-digest §9). The batch loss is the mean over pairs. It depends only on the difference,
 * so adding a constant to both rewards changes nothing. Softplus and σ are evaluated in their
 * overflow-free forms, so reward gaps of any size stay finite.
 */
public final class PairwiseReward {
    private PairwiseReward() {
    }

    /**
     * Loss over N preference pairs.
     *
     * @param chosen   N ≥ 1 rewards r_c of the preferred responses
     * @param rejected N rewards r_r of the other responses
     * @return the sum over pairs, weight N, and the gradient of the mean as a (2, N) tensor:
     *         row 0 is ∂L/∂r_c, row 1 is ∂L/∂r_r
     */
    public static LossResult compute(float[] chosen, float[] rejected) {
        int n = chosen.length;
        if (rejected.length != n || n == 0) {
            throw new IllegalArgumentException("chosen and rejected must hold the same positive number of rewards, got "
                    + n + " and " + rejected.length);
        }
        Tensor grad = Tensor.zeros(2, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double gap = (double) rejected[i] - chosen[i];
            sum += softplus(gap);
            float slope = (float) (sigmoid(gap) / n);
            grad.data[i] = -slope;
            grad.data[n + i] = slope;
        }
        return new LossResult(sum, n, grad);
    }

    /** log(1 + eˣ) without overflow. */
    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** 1 / (1 + e⁻ˣ) without overflow. */
    private static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }
}
