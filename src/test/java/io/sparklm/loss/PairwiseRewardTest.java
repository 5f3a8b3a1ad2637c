package io.sparklm.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PairwiseRewardTest {
    private static final double TOL = 1e-5;

    private static LossResult pair(double chosen, double rejected) {
        return PairwiseReward.compute(new float[] {(float) chosen}, new float[] {(float) rejected});
    }

    @Test
    void lossIsSoftplusOfRejectedMinusChosen() {
        assertEquals(0.3132616875, pair(1, 0).mean(), TOL);
        assertEquals(Math.log(2), pair(0, 0).mean(), TOL);
        assertEquals(0.0485873516, pair(2, -1).mean(), TOL);
        assertEquals(1.3132616875, pair(0, 1).mean(), TOL);
    }

    @Test
    void gradientPushesChosenUpAndRejectedDownBySigmoidOfTheGap() {
        assertArrayEquals(new float[] {-.2689414214f, .2689414214f}, pair(1, 0).grad().data, 1e-6f);
    }

    @Test
    void addingAConstantToBothRewardsChangesNothing() {
        assertEquals(pair(1, 0).mean(), pair(101, 100).mean(), 1e-6);
        assertArrayEquals(pair(1, 0).grad().data, pair(101, 100).grad().data, 1e-6f);
    }

    @Test
    void batchLossIsTheMeanOverPairsAndStaysFiniteForHugeGaps() {
        LossResult r = PairwiseReward.compute(new float[] {1, 0, 2, 0}, new float[] {0, 0, -1, 1});
        assertEquals((0.3132616875 + Math.log(2) + 0.0485873516 + 1.3132616875) / 4, r.mean(), TOL);
        assertEquals(4, r.weight());
        assertEquals(2000, pair(-1000, 1000).mean(), TOL);
        assertEquals(0, pair(1000, -1000).mean(), TOL);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        float[] chosen = {1, 0, 2, -.5f};
        float[] rejected = {0, 0, -1, .7f};
        LossResult r = PairwiseReward.compute(chosen, rejected);
        double[] point = new double[8];
        for (int i = 0; i < 4; i++) {
            point[i] = chosen[i];
            point[4 + i] = rejected[i];
        }
        FiniteDifferences.assertGradient(r.grad().data, point, x -> {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                sum -= Math.log(1 / (1 + Math.exp(-(x[i] - x[4 + i]))));
            }
            return sum / 4;
        });
    }

    @Test
    void mismatchedOrEmptyBatchesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> PairwiseReward.compute(new float[] {1}, new float[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> PairwiseReward.compute(new float[0], new float[0]));
    }
}
