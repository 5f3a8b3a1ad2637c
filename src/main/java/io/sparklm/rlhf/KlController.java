package io.sparklm.rlhf;

import java.io.Serializable;

/**
 * The coefficient β of the KL penalty in the per-token reward ({@link Advantages#rewards}), kept
 * fixed or adapted towards a target KL after each iteration (Ziegler et al. 2019, §2.2; TRL's
 * {@code AdaptiveKLController}):
 * <pre>
 *   β ← β·(1 + clip((KL − target)/target, −0.2, 0.2)·n/horizon)
 * </pre>
 * with KL the observed {@link Advantages#meanSequenceKl} and n the rollouts of the iteration.
 * Controllers are values: {@link #update} returns the next one.
 */
public sealed interface KlController extends Serializable {
    /** TRL's initial β. */
    double DEFAULT_BETA = 0.05;

    /** β for the next rollouts. */
    double beta();

    /** The controller after an iteration of {@code steps} rollouts whose mean sequence KL was {@code kl}. */
    KlController update(double kl, long steps);

    /** β that never changes. */
    record Fixed(double beta) implements KlController {
        public Fixed {
            if (!(beta >= 0)) {
                throw new IllegalArgumentException("the KL coefficient must be ≥ 0, got " + beta);
            }
        }

        @Override
        public KlController update(double kl, long steps) {
            return this;
        }
    }

    /** β adapted towards {@code target} nats over {@code horizon} rollouts. */
    record Adaptive(double beta, double target, double horizon) implements KlController {
        /** Largest proportional error the update acts on. */
        public static final double ERROR_CLIP = 0.2;

        public Adaptive {
            if (!(beta >= 0) || !(target > 0) || !(horizon > 0)) {
                throw new IllegalArgumentException("an adaptive KL controller needs β ≥ 0, a positive target and a positive horizon, got "
                        + beta + ", " + target + " and " + horizon);
            }
        }

        @Override
        public Adaptive update(double kl, long steps) {
            double error = Math.min(Math.max((kl - target) / target, -ERROR_CLIP), ERROR_CLIP);
            return new Adaptive(beta * (1 + error * steps / horizon), target, horizon);
        }
    }
}
