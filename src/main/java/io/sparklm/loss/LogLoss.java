package io.sparklm.loss;

import io.sparklm.tensor.Tensor;

/**
 * Log loss (cross-entropy) on probabilities, binary and multi-class (seeds-digest §2):
 * <pre>
 *   binary:      L = −(1/N) Σᵢ [yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)]
 *   multi-class: L = −(1/N) Σᵢ Σ_c y_ic log p_ic
 * </pre>
 * (Bishop, <i>Pattern Recognition and Machine Learning</i>, eqs. 4.90 and 4.108). Each probability is
 * clipped to [ε, 1 − ε] with ε = 1e-12 before the logarithm, as scikit-learn's {@code log_loss}
 * does, so p = 1, y = 1 gives 0 rather than 0·log 0 = NaN. The gradient is that of the clipped
 * formula: −y/p inside the clip range, 0 where the clip is active.
 *
 * <p>Labels y may be soft (any value in [0, 1]). For losses on logits use {@link CrossEntropy},
 * which is exact where clipping here would saturate.
 */
public final class LogLoss {
    /** The clipping margin ε. */
    public static final double EPSILON = 1e-12;

    private LogLoss() {
    }

    /**
     * Binary log loss.
     *
     * @param p N ≥ 1 predicted probabilities of the positive class, in [0, 1]
     * @param y N labels in [0, 1]
     * @return the sum over items, weight N, and ∂L/∂p of shape (N)
     */
    public static LossResult binary(float[] p, float[] y) {
        if (p.length != y.length) {
            throw new IllegalArgumentException("p has " + p.length + " values, y has " + y.length);
        }
        if (p.length == 0) {
            throw new IllegalArgumentException("p and y are empty: a log loss needs at least one item");
        }
        Tensor grad = Tensor.zeros(p.length);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = checkedUnit("p", i, p[i]);
            double yi = checkedUnit("y", i, y[i]);
            sum += term(yi, pi) + term(1 - yi, 1 - pi);
            grad.data[i] = (float) ((termSlope(yi, pi) - termSlope(1 - yi, 1 - pi)) / p.length);
        }
        return new LossResult(sum, p.length, grad);
    }

    /**
     * Multi-class log loss.
     *
     * @param p (N, C) predicted probabilities, each row a distribution
     * @param y (N, C) labels (one-hot or soft)
     * @return the sum over rows, weight N, and ∂L/∂p of shape (N, C)
     */
    public static LossResult multiClass(Tensor p, Tensor y) {
        p.requireSameShape(y);
        int rows = p.rows();
        Tensor grad = Tensor.zeros(p.shape());
        double sum = 0;
        for (int k = 0; k < p.size(); k++) {
            double pk = checkedUnit("p", k, p.data[k]);
            double yk = checkedUnit("y", k, y.data[k]);
            sum += term(yk, pk);
            grad.data[k] = (float) (termSlope(yk, pk) / rows);
        }
        return new LossResult(sum, rows, grad);
    }

    /** −y·log(clip(p)), with 0 when y = 0 whatever p is. */
    private static double term(double y, double p) {
        return y == 0 ? 0 : -y * Math.log(Math.min(Math.max(p, EPSILON), 1 - EPSILON));
    }

    /** ∂/∂p of {@link #term}: −y/p inside [ε, 1 − ε], 0 outside. */
    private static double termSlope(double y, double p) {
        return p < EPSILON || p > 1 - EPSILON ? 0 : -y / p;
    }

    private static double checkedUnit(String name, int index, float value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + "[" + index + "] must be in [0, 1], got " + value);
        }
        return value;
    }
}
