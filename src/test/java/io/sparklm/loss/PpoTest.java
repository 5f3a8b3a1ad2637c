package io.sparklm.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparklm.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PpoTest {
    private static final double TOL = 1e-5;

    private static LossResult policy(double ratio, double advantage) {
        return Ppo.policy(new float[] {(float) ratio}, new float[] {(float) advantage}, Ppo.DEFAULT_CLIP);
    }

    @Test
    void policyLossTakesThePessimisticOfClippedAndUnclippedObjectives() {
        assertEquals(-1.2, policy(1.5, 1).mean(), TOL);
        assertEquals(0, policy(1.5, 1).grad().data[0]);
        assertEquals(-.5, policy(.5, 1).mean(), TOL);
        assertEquals(-1, policy(.5, 1).grad().data[0], TOL);
        assertEquals(.8, policy(.5, -1).mean(), TOL);
        assertEquals(0, policy(.5, -1).grad().data[0]);
        assertEquals(1.5, policy(1.5, -1).mean(), TOL);
        assertEquals(1, policy(1.5, -1).grad().data[0], TOL);
    }

    @Test
    void ratioOfOneGivesMinusMeanAdvantage() {
        float[] advantage = {.3f, -1.2f, 2f, .5f};
        LossResult r = Ppo.policy(new float[] {1, 1, 1, 1}, advantage, Ppo.DEFAULT_CLIP);
        assertEquals(-(.3 - 1.2 + 2 + .5) / 4, r.mean(), TOL);
        assertArrayEquals(new float[] {-.3f / 4, 1.2f / 4, -2f / 4, -.5f / 4}, r.grad().data, 1e-6f);
    }

    @Test
    void logProbGradientIsRatioGradientTimesRatioAndMatchesFiniteDifferences() {
        float[] logProb = {-1.0f, -.2f, -2.5f, -.7f};
        float[] oldLogProb = {-1.3f, -.25f, -2.0f, -.7f};
        float[] advantage = {1f, -.5f, .8f, -2f};
        LossResult r = Ppo.policyFromLogProbs(logProb, oldLogProb, advantage, Ppo.DEFAULT_CLIP);
        FiniteDifferences.assertGradient(r.grad().data, FiniteDifferences.toDouble(logProb), x -> {
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                double ratio = Math.exp(x[i] - oldLogProb[i]);
                sum -= Math.min(ratio * advantage[i], Math.min(Math.max(ratio, .8), 1.2) * advantage[i]);
            }
            return sum / x.length;
        });
    }

    @Test
    void valueLossIsSquaredError() {
        LossResult r = Ppo.value(new float[] {.5f}, new float[] {1});
        assertEquals(.25, r.mean(), TOL);
        assertEquals(-1, r.grad().data[0], TOL);
    }

    @Test
    void clippedValueLossKeepsTheLargerOfClippedAndUnclippedErrors() {
        LossResult beyondClip = Ppo.clippedValue(new float[] {.5f}, new float[] {.3f}, new float[] {1}, .1);
        assertEquals(.36, beyondClip.mean(), TOL);
        assertEquals(0, beyondClip.grad().data[0]);
        LossResult withinClip = Ppo.clippedValue(new float[] {.5f}, new float[] {.45f}, new float[] {1}, .2);
        assertEquals(.25, withinClip.mean(), TOL);
        assertEquals(-1, withinClip.grad().data[0], TOL);
        LossResult overshoot = Ppo.clippedValue(new float[] {1.5f}, new float[] {1f}, new float[] {1}, .2);
        assertEquals(.25, overshoot.mean(), TOL);
        assertEquals(1, overshoot.grad().data[0], TOL);
    }

    @Test
    void entropyOfAProbabilityRow() {
        assertEquals(Math.log(2), Ppo.entropy(new float[] {.5f, .5f}), TOL);
        assertEquals(0.8018185525, Ppo.entropy(new float[] {.7f, .2f, .1f}), TOL);
        assertEquals(0, Ppo.entropy(new float[] {1, 0}), 0);
    }

    @Test
    void entropyOfLogitsEqualsEntropyOfTheirSoftmaxWithFiniteDifferenceGradient() {
        float[] logits = {(float) Math.log(.7), (float) Math.log(.2), (float) Math.log(.1), 0, 0, 0};
        LossResult r = Ppo.entropyOfLogits(Tensor.of(logits.clone(), 2, 3));
        assertEquals(0.8018185525 + Math.log(3), r.sum(), TOL);
        assertEquals(2, r.weight());
        FiniteDifferences.assertGradient(r.grad().data, FiniteDifferences.toDouble(logits), z -> {
            double total = 0;
            for (int i = 0; i < 2; i++) {
                double lse = Math.log(Math.exp(z[3 * i]) + Math.exp(z[3 * i + 1]) + Math.exp(z[3 * i + 2]));
                for (int j = 0; j < 3; j++) {
                    double logP = z[3 * i + j] - lse;
                    total -= Math.exp(logP) * logP;
                }
            }
            return total / 2;
        });
    }

    @Test
    void invalidRatiosAndClipRangesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> policy(-.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Ppo.policy(new float[] {1}, new float[] {1}, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Ppo.policy(new float[] {1}, new float[] {1, 2}, .2));
        assertThrows(IllegalArgumentException.class, () -> Ppo.clippedValue(new float[] {1}, new float[] {1}, new float[] {1}, 0));
    }
}
