package io.sparklm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LossSumTest {
    @Test
    void perplexityIsTheExponentialOfTheGlobalMeanNegativeLogLikelihood() {
        LossSum shardA = new LossSum(-Math.log(0.5) - Math.log(0.25), 2);
        LossSum shardB = new LossSum(-Math.log(0.125), 1);
        assertEquals(4.0, shardA.plus(shardB).perplexity(), 1e-12);
        assertEquals(Math.sqrt(8), shardA.perplexity(), 1e-12, "one shard alone: probabilities .5 and .25");
    }
}
