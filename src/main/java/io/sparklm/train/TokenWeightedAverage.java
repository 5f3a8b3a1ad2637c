package io.sparklm.train;

import io.sparklm.optim.OptimizerState;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Running token-weighted sums of worker results, the {@code treeAggregate} accumulator:
 * θ̄ = Σ nₖθₖ / Σ nₖ, likewise every optimizer buffer, and the loss Σ lossₖ / Σ nₖ.
 * Sums are kept in double: nₖ·θₖ is exact in double for float θ and integer nₖ &lt; 2²⁹,
 * so one worker's average is bit-for-bit its own parameters.
 */
public final class TokenWeightedAverage implements Serializable {
    private double tokens;
    private double loss;
    private double maxComputeSeconds;
    private long step = -1;
    private double[] parameters;
    private final Map<String, double[]> buffers = new TreeMap<>();

    /** Adds one worker's result (the seqOp). */
    public TokenWeightedAverage add(WorkerResult r) {
        tokens += r.tokens();
        loss += r.loss();
        maxComputeSeconds = Math.max(maxComputeSeconds, r.computeSeconds());
        parameters = addScaled(parameters, r.parameters(), r.tokens());
        for (Map.Entry<String, float[]> b : r.optimizer().buffers().entrySet()) {
            buffers.put(b.getKey(), addScaled(buffers.get(b.getKey()), b.getValue(), r.tokens()));
        }
        step = requireSameStep(step, r.optimizer().step());
        return this;
    }

    /** Merges another partial sum (the combOp). */
    public TokenWeightedAverage merge(TokenWeightedAverage o) {
        if (o.parameters == null) {
            return this;
        }
        if (parameters == null) {
            return o;
        }
        tokens += o.tokens;
        loss += o.loss;
        maxComputeSeconds = Math.max(maxComputeSeconds, o.maxComputeSeconds);
        addInto(parameters, o.parameters);
        o.buffers.forEach((name, values) -> buffers.merge(name, values, (a, b) -> {
            addInto(a, b);
            return a;
        }));
        step = requireSameStep(step, o.step);
        return this;
    }

    private static long requireSameStep(long mine, long theirs) {
        if (mine >= 0 && theirs >= 0 && mine != theirs) {
            throw new IllegalStateException("workers ended at different optimizer steps: " + mine + " and " + theirs);
        }
        return Math.max(mine, theirs);
    }

    private static double[] addScaled(double[] sum, float[] values, double weight) {
        double[] s = sum == null ? new double[values.length] : sum;
        if (s.length != values.length) {
            throw new IllegalStateException("worker returned " + values.length + " values, expected " + s.length);
        }
        for (int i = 0; i < values.length; i++) {
            s[i] += values[i] * weight;
        }
        return s;
    }

    private static void addInto(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }

    public double tokens() {
        return tokens;
    }

    /** Σ loss / Σ tokens over every worker's steps. */
    public double meanLoss() {
        return loss / tokens;
    }

    /** The slowest worker's time in local steps. */
    public double maxComputeSeconds() {
        return maxComputeSeconds;
    }

    /** θ̄ = Σ nₖθₖ / Σ nₖ. */
    public double[] averageParameters() {
        requireResults();
        return divided(parameters);
    }

    /** The token-weighted average of every optimizer buffer, with the workers' common step. */
    public OptimizerState averageOptimizer() {
        requireResults();
        Map<String, float[]> averaged = new TreeMap<>();
        buffers.forEach((name, sum) -> {
            double[] avg = divided(sum);
            float[] f = new float[avg.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) avg[i];
            }
            averaged.put(name, f);
        });
        return new OptimizerState(step, averaged);
    }

    private double[] divided(double[] sum) {
        double[] out = new double[sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sum[i] / tokens;
        }
        return out;
    }

    private void requireResults() {
        if (parameters == null || tokens <= 0) {
            throw new IllegalStateException("no worker returned a result with tokens this round");
        }
    }
}
