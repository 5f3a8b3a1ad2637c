package io.sparklm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklm.optim.OptimizerState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** seeds-digest §11: token-weighted aggregation. */
class TokenWeightedAverageTest {
    private static WorkerResult result(double tokens, double lossSum, float param, float moment) {
        return new WorkerResult(tokens, lossSum, new float[] {param}, new OptimizerState(4, Map.of("m", new float[] {moment})), 1);
    }

    @Test
    void globalLossIsTotalLossOverTotalTokensNotTheMeanOfShardMeans() {
        TokenWeightedAverage sum = new TokenWeightedAverage().add(result(3, 1.5, 0, 0)).add(result(1, 2, 0, 0));
        assertEquals(0.875, sum.meanLoss(), 1e-12);
    }

    @Test
    void parametersAreAveragedByTokensProcessed() {
        float afterShard1 = 1f - 0.1f * 0.5f;
        float afterShard2 = 1f - 0.1f * 2f;
        TokenWeightedAverage a = new TokenWeightedAverage().add(result(3, 0, afterShard1, 1));
        TokenWeightedAverage b = new TokenWeightedAverage().add(result(1, 0, afterShard2, 5));
        TokenWeightedAverage sum = a.merge(b);
        assertEquals(0.9125, sum.averageParameters()[0], 1e-7);
        assertEquals(2f, sum.averageOptimizer().buffer("m")[0], 1e-6f);
        assertEquals(4, sum.averageOptimizer().step());
    }

    @Test
    void oneWorkersAverageIsItsOwnParametersBitForBit() {
        float[] params = {0.1f, -3.3333333f, 1e-7f, 12345.678f};
        WorkerResult r = new WorkerResult(768 * 50, 10, params, new OptimizerState(1, Map.of()), 1);
        double[] avg = new TokenWeightedAverage().add(r).averageParameters();
        float[] back = new float[avg.length];
        for (int i = 0; i < avg.length; i++) {
            back[i] = (float) avg[i];
        }
        assertArrayEquals(params, back, 0f);
    }
}
