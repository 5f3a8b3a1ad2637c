package io.sparklm.optim;

/**
 * Learning rate as a function of the step: linear warmup, then cosine decay (Loshchilov and Hutter
 * 2017, "SGDR", eq. 5 without restarts; as in GPT-2/nanoGPT training). For step s = 0, 1, …:
 * <pre>
 *   s &lt; W:          lr = peak·(s + 1)/W
 *   W ≤ s &lt; W + D:  lr = min + ½(peak − min)(1 + cos(π·(s − W)/D))
 *   s ≥ W + D:      lr = min   (or peak when D = 0: no decay)
 * </pre>
 * so the warmup reaches the peak at its last step, s = W − 1, and the decay ends at step W + D.
 *
 * @param peakLr       the rate after warmup, ≥ 0
 * @param warmupSteps  W ≥ 0
 * @param decaySteps   D ≥ 0; 0 holds the peak forever after warmup
 * @param minLr        the final rate, in [0, peakLr]
 */
public record Schedule(double peakLr, long warmupSteps, long decaySteps, double minLr) implements java.io.Serializable {
    public Schedule {
        if (!(peakLr >= 0 && peakLr < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("peakLr must be finite and non-negative, got " + peakLr);
        }
        if (!(minLr >= 0 && minLr <= peakLr)) {
            throw new IllegalArgumentException("minLr must be in [0, peakLr = " + peakLr + "], got " + minLr);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be non-negative, got " + warmupSteps);
        }
        if (decaySteps < 0) {
            throw new IllegalArgumentException("decaySteps must be non-negative, got " + decaySteps);
        }
    }

    /** The same rate at every step. */
    public static Schedule constant(double lr) {
        return new Schedule(lr, 0, 0, lr);
    }

    /** Warmup over {@code warmupSteps}, then cosine decay reaching {@code minLr} at step {@code totalSteps} &gt; warmupSteps. */
    public static Schedule warmupCosine(double peakLr, long warmupSteps, long totalSteps, double minLr) {
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("totalSteps must exceed warmupSteps = " + warmupSteps + ", got " + totalSteps);
        }
        return new Schedule(peakLr, warmupSteps, totalSteps - warmupSteps, minLr);
    }

    /** The learning rate for step s ≥ 0 (the first step is 0). */
    public double lr(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be non-negative, got " + step);
        }
        if (step < warmupSteps) {
            return peakLr * (step + 1) / warmupSteps;
        }
        if (decaySteps == 0) {
            return peakLr;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        return minLr + 0.5 * (peakLr - minLr) * (1 + Math.cos(Math.PI * progress));
    }
}
