package io.sparklm.optim;

import io.sparklm.nn.Parameters;

/**
 * Gradient clipping by global norm (Pascanu, Mikolov and Bengio 2013, "On the difficulty of training
 * recurrent neural networks", Algorithm 1; seeds-digest §13):
 * <pre>
 *   ‖g‖ = √(Σ over all parameters and elements of g²)
 *   if ‖g‖ &gt; maxNorm:  g ← g · maxNorm / ‖g‖
 * </pre>
 * The norm is over all parameters together, so clipping keeps the gradient's direction. Unlike
 * {@code torch.nn.utils.clip_grad_norm_} there is no 1e-6 added to the norm: a clipped gradient has
 * norm exactly maxNorm.
 */
public final class GradClip {
    private GradClip() {
    }

    /**
     * ‖g‖ over all gradients, accumulated in double: element i of a piece into running sum i mod 4
     * (four additions in flight, not one chain), pieces in flat order and thread ranges in order.
     */
    public static double globalNorm(Parameters params) {
        return Math.sqrt(params.sumOverRanges((p, from, to, index) -> {
            float[] g = p.grad().data;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = from;
            for (; i + 4 <= to; i += 4) {
                s0 += (double) g[i] * g[i];
                s1 += (double) g[i + 1] * g[i + 1];
                s2 += (double) g[i + 2] * g[i + 2];
                s3 += (double) g[i + 3] * g[i + 3];
            }
            double squares = (s0 + s1) + (s2 + s3);
            for (; i < to; i++) {
                squares += (double) g[i] * g[i];
            }
            return squares;
        }));
    }

    /**
     * Scales all gradients so their global norm is at most {@code maxNorm}.
     *
     * @param maxNorm the largest norm allowed, &gt; 0
     * @return the norm before clipping (NaN or infinite if a gradient is; then nothing is scaled)
     */
    public static double clipGlobalNorm(Parameters params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
        }
        double norm = globalNorm(params);
        if (norm > maxNorm && norm < Double.POSITIVE_INFINITY) {
            float scale = (float) (maxNorm / norm);
            params.forEachRange((p, from, to, index) -> {
                float[] g = p.grad().data;
                for (int i = from; i < to; i++) {
                    g[i] *= scale;
                }
            });
        }
        return norm;
    }
}
