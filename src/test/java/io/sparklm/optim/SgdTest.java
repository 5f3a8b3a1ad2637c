package io.sparklm.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sparklm.nn.Parameter;
import io.sparklm.nn.Parameters;
import org.junit.jupiter.api.Test;

class SgdTest {
    /** Minimises f(x) = x² from x₀ = 1 (gradient 2x) at lr 0.1, returning x after each step. */
    private static float[] minimiseSquare(Sgd sgd, int steps) {
        Parameters params = new Parameters();
        Parameter x = params.add("x", true, 1);
        x.value().data[0] = 1;
        float[] trajectory = new float[steps];
        for (int s = 0; s < steps; s++) {
            x.grad().data[0] = 2 * x.value().data[0];
            sgd.step(params, .1);
            trajectory[s] = x.value().data[0];
        }
        return trajectory;
    }

    @Test
    void gradientDescentOnXSquaredShrinksByOneMinusTwoLr() {
        assertArrayEquals(new float[] {.8f, .64f, .512f}, minimiseSquare(new Sgd(), 3), 1e-6f);
    }

    @Test
    void heavyBallMomentumAccumulatesVelocity() {
        assertArrayEquals(new float[] {.8f, .46f, .062f}, minimiseSquare(new Sgd(.9, 0), 3), 1e-6f);
    }

    @Test
    void weightDecayAddsLambdaXToTheGradientOfDecayedParametersOnly() {
        Parameters params = new Parameters();
        Parameter w = params.add("w", true, 1);
        Parameter b = params.add("b", false, 1);
        w.value().data[0] = 2;
        b.value().data[0] = 2;
        new Sgd(0, .5).step(params, .1);
        assertArrayEquals(new float[] {1.9f}, w.value().data, 1e-7f);
        assertArrayEquals(new float[] {2f}, b.value().data, 0f);
    }

    @Test
    void exportedVelocityResumesTheTrajectory() {
        Parameters params = new Parameters();
        Parameter x = params.add("x", true, 1);
        x.value().data[0] = 1;
        Sgd first = new Sgd(.9, 0);
        for (int s = 0; s < 2; s++) {
            x.grad().data[0] = 2 * x.value().data[0];
            first.step(params, .1);
        }
        Sgd second = new Sgd(.9, 0);
        second.load(AdamWTest.copy(first.state()));
        x.grad().data[0] = 2 * x.value().data[0];
        second.step(params, .1);
        assertArrayEquals(new float[] {.062f}, x.value().data, 1e-6f);
    }

    @Test
    void invalidArgumentsAreRejectedNamingTheArgument() {
        AdamWTest.assertMessage("momentum", () -> new Sgd(1, 0));
        AdamWTest.assertMessage("weightDecay", () -> new Sgd(0, -1));
        AdamWTest.assertMessage("lr", () -> new Sgd().step(new Parameters(), -1));
    }
}
