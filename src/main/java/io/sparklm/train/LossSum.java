package io.sparklm.train;

import java.io.Serializable;

/**
 * A loss total over some tokens: shards report sums so the global loss is Σ loss / Σ tokens,
 * never a mean of shard means.
 */
public record LossSum(double loss, double tokens) implements Serializable {
    public static final LossSum ZERO = new LossSum(0, 0);

    public LossSum plus(LossSum other) {
        return new LossSum(loss + other.loss, tokens + other.tokens);
    }

    /** Σ loss / Σ tokens; NaN when there are no tokens. */
    public double mean() {
        return tokens == 0 ? Double.NaN : loss / tokens;
    }

    /** Perplexity exp(Σ loss / Σ tokens), the exponential of the global mean NLL (seeds-digest §15), never a mean of shard perplexities. */
    public double perplexity() {
        return Math.exp(mean());
    }
}
