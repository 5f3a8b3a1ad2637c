package io.sparklm.rlhf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdvantagesTest {
    private static final float TOL = 1e-6f;
    /** Three tokens: the score 1 arrives at the last; values 0.5, 0.6, 0.7. */
    private static final float[] REWARDS = {0, 0, 1};
    private static final float[] VALUES = {.5f, .6f, .7f};

    @Test
    void gaeOfAWorkedExample() {
        // γ = 1: δ = (0 + .6 − .5, 0 + .7 − .6, 1 + 0 − .7) = (.1, .1, .3)
        // A₂ = .3, A₁ = .1 + .95·.3 = .385, A₀ = .1 + .95·.385 = .46575; R = A + V
        Advantages.Estimate e = Advantages.gae(REWARDS, VALUES, 1, 0.95);
        assertArrayEquals(new float[] {.46575f, .385f, .3f}, e.advantages(), TOL);
        assertArrayEquals(new float[] {.96575f, .985f, 1f}, e.returns(), TOL);
    }

    @Test
    void gammaLambdaZeroGivesOneStepTemporalDifferences() {
        assertArrayEquals(new float[] {.1f, .1f, .3f}, Advantages.gae(REWARDS, VALUES, 1, 0).advantages(), TOL);
        // γ = .5: δ = (0 + .5·.6 − .5, 0 + .5·.7 − .6, 1 − .7)
        assertArrayEquals(new float[] {-.2f, -.25f, .3f}, Advantages.gae(REWARDS, VALUES, .5, 0).advantages(), TOL);
    }

    @Test
    void lambdaOneGivesMonteCarloReturnsMinusValues() {
        Advantages.Estimate e = Advantages.gae(new float[] {.2f, -.1f, 1f}, VALUES, 1, 1);
        // Σ_{l≥t} r_l = (1.1, .9, 1)
        assertArrayEquals(new float[] {1.1f - .5f, .9f - .6f, 1f - .7f}, e.advantages(), TOL);
        assertArrayEquals(new float[] {1.1f, .9f, 1f}, e.returns(), TOL);
        // γ = .9: R₀ = .2 + .9·(−.1) + .81·1 = .92
        assertEquals(.92f, Advantages.gae(new float[] {.2f, -.1f, 1f}, VALUES, .9, 1).returns()[0], TOL);
    }

    @Test
    void rewardsAreTheKlPenaltyPlusTheScoreAtTheLastToken() {
        // log π − log π_ref = (.5, 0, −.25), β = .1, score 2
        float[] r = Advantages.rewards(new float[] {-1f, -2f, -.5f}, new float[] {-1.5f, -2f, -.25f}, 2, .1);
        assertArrayEquals(new float[] {-.05f, 0f, .025f + 2f}, r, TOL);
        assertArrayEquals(new float[] {3f}, Advantages.rewards(new float[] {-1f}, new float[] {-1f}, 3, .1), TOL);
    }

    @Test
    void whiteningGivesMeanZeroAndUnbiasedStdOneOverTheWholeBatch() {
        // 1, 2, 3, 4: mean 2.5, unbiased variance 5/3
        float[][] w = Advantages.whiten(new float[][] {{1, 2}, {3}, {4}});
        double s = Math.sqrt(5.0 / 3);
        assertArrayEquals(new float[] {(float) (-1.5 / s), (float) (-.5 / s)}, w[0], 1e-6f);
        assertArrayEquals(new float[] {(float) (.5 / s)}, w[1], 1e-6f);
        assertArrayEquals(new float[] {(float) (1.5 / s)}, w[2], 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> Advantages.whiten(new float[][] {{1}}));
    }

    @Test
    void meanSequenceKlSumsOverTokensAndAveragesOverResponses() {
        // (.5 + 0) and (−.25): mean .125
        assertEquals(.125, Advantages.meanSequenceKl(new float[][] {{-1f, -2f}, {-.5f}}, new float[][] {{-1.5f, -2f}, {-.25f}}), 1e-7);
    }

    @Test
    void adaptiveControllerMovesBetaTowardsTheTargetByAtMostTwentyPercentPerHorizon() {
        KlController.Adaptive kl = new KlController.Adaptive(.2, 6, 10000);
        // KL 9: error .5 clipped to .2, β·(1 + .2·256/10000)
        assertEquals(.2 * 1.00512, kl.update(9, 256).beta(), 1e-12);
        // KL 3: error −.5 clipped to −.2
        assertEquals(.2 * 0.99488, kl.update(3, 256).beta(), 1e-12);
        // KL 6.6: error .1, not clipped
        assertEquals(.2 * 1.00256, kl.update(6.6, 256).beta(), 1e-12);
        assertEquals(.2, kl.update(6, 256).beta(), 1e-15);
        assertEquals(6, kl.update(9, 256).target());
    }

    @Test
    void fixedControllerKeepsBeta() {
        assertEquals(.05, new KlController.Fixed(.05).update(100, 1000).beta());
    }
}
