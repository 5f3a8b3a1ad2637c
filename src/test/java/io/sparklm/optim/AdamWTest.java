package io.sparklm.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.nn.Parameter;
import io.sparklm.nn.Parameters;
import org.junit.jupiter.api.Test;

class AdamWTest {
    /** Minimises f(x) = x² from x₀ = 1 (gradient 2x), returning x after each step. */
    private static float[] minimiseSquare(AdamW adam, boolean decay, int steps) {
        Parameters params = new Parameters();
        Parameter x = params.add("x", decay, 1);
        x.value().data[0] = 1;
        float[] trajectory = new float[steps];
        for (int s = 0; s < steps; s++) {
            x.grad().data[0] = 2 * x.value().data[0];
            adam.step(params, .1);
            trajectory[s] = x.value().data[0];
        }
        return trajectory;
    }

    @Test
    void adamOnXSquaredMatchesTheBiasCorrectedUpdate() {
        float[] x = minimiseSquare(new AdamW(.9, .999, 1e-8, 0), true, 3);
        assertArrayEquals(new float[] {.9000000005f, .8004122287f, .7015862729f}, x, 1e-6f);
    }

    @Test
    void weightDecayMultipliesByOneMinusLrLambdaBeforeTheAdamUpdateAsTorchAdamW() {
        float[] x = minimiseSquare(new AdamW(.9, .999, 1e-8, .1), true, 3);
        assertArrayEquals(new float[] {.8900000005f, .7815718559f, .6751012216f}, x, 1e-6f);
        assertArrayEquals(minimiseSquare(new AdamW(.9, .999, 1e-8, 0), true, 3),
                minimiseSquare(new AdamW(.9, .999, 1e-8, .1), false, 3), 0f);
    }

    @Test
    void withZeroGradientADecayedWeightShrinksByExactlyOneMinusLrLambdaAndANoDecayWeightStays() {
        Parameters params = new Parameters();
        Parameter matrix = params.add("w", true, 2);
        Parameter bias = params.add("b", false, 2);
        matrix.value().data[0] = 3;
        matrix.value().data[1] = -2;
        bias.value().data[0] = 3;
        bias.value().data[1] = -2;
        new AdamW(.9, .999, 1e-8, .01).step(params, .1);
        float keep = (float) (1 - .1 * .01);
        assertArrayEquals(new float[] {3 * keep, -2 * keep}, matrix.value().data, 0f);
        assertArrayEquals(new float[] {3, -2}, bias.value().data, 0f);
    }

    @Test
    void decoupledDecayIsNotAnL2TermInTheGradient() {
        Parameters decoupled = new Parameters();
        decoupled.add("w", true, 1).value().data[0] = 3;
        new AdamW(.9, .999, 1e-8, .01).step(decoupled, .1);

        Parameters l2 = new Parameters();
        Parameter w = l2.add("w", true, 1);
        w.value().data[0] = 3;
        w.grad().data[0] = .01f * 3;
        new AdamW(.9, .999, 1e-8, 0).step(l2, .1);

        assertEquals(2.997f, decoupled.get("w").value().data[0], 1e-6f);
        assertEquals(2.9f, w.value().data[0], 1e-6f);
    }

    @Test
    void exportedStateResumesExactlyWhereItLeftOff() {
        Parameters uninterrupted = twoParameters();
        AdamW straight = new AdamW();
        Parameters resumed = twoParameters();
        AdamW first = new AdamW();
        for (int s = 0; s < 3; s++) {
            setGradients(uninterrupted, s);
            straight.step(uninterrupted, 1e-2);
        }
        for (int s = 0; s < 2; s++) {
            setGradients(resumed, s);
            first.step(resumed, 1e-2);
        }
        assertEquals(2, first.step());
        assertEquals(5, first.firstMoment().length);
        AdamW second = new AdamW();
        second.load(copy(first.state()));
        setGradients(resumed, 2);
        second.step(resumed, 1e-2);
        assertEquals(3, second.step());
        assertArrayEquals(uninterrupted.flatten(), resumed.flatten(), 0f);
        assertArrayEquals(straight.firstMoment(), second.firstMoment(), 0f);
        assertArrayEquals(straight.secondMoment(), second.secondMoment(), 0f);
    }

    /** A deep copy of a state, as a worker's state file round-trips it. */
    static OptimizerState copy(OptimizerState state) {
        java.util.Map<String, float[][]> buffers = new java.util.TreeMap<>();
        state.buffers().forEach((name, arrays) -> {
            float[][] c = new float[arrays.length][];
            for (int i = 0; i < arrays.length; i++) {
                c[i] = arrays[i].clone();
            }
            buffers.put(name, c);
        });
        return new OptimizerState(state.step(), buffers);
    }

    @Test
    void momentsAreShapedAsTheParametersAndFlatInRegistrationOrder() {
        Parameters params = twoParameters();
        setGradients(params, 0);
        AdamW adam = new AdamW();
        adam.step(params, 1e-3);
        float[] g = params.flattenGrad();
        float[] m = adam.firstMoment();
        float[] v = adam.secondMoment();
        float[][] perTensor = adam.state().buffer("m");
        assertEquals(params.all().size(), perTensor.length);
        for (int i = 0; i < perTensor.length; i++) {
            assertEquals(params.all().get(i).size(), perTensor[i].length);
        }
        for (int k = 0; k < g.length; k++) {
            assertEquals(.1f * g[k], m[k], 1e-7f);
            assertEquals(.001f * g[k] * g[k], v[k], 1e-7f);
        }
    }

    @Test
    void stateOfTheWrongSizeIsRejected() {
        Parameters params = twoParameters();
        float[][] oneTensor = {new float[3]};
        AdamW adam = new AdamW();
        adam.load(new OptimizerState(1, java.util.Map.of("m", oneTensor, "v", oneTensor)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.step(params, 1e-3));
        assertEquals("optimizer state m holds 1 tensors, the model has 2 parameter tensors", e.getMessage());
        float[][] misshapen = {new float[params.all().get(0).size() + 1], new float[params.all().get(1).size()]};
        adam.load(new OptimizerState(1, java.util.Map.of("m", misshapen, "v", misshapen)));
        e = assertThrows(IllegalArgumentException.class, () -> adam.step(params, 1e-3));
        assertEquals("optimizer state m holds " + misshapen[0].length + " values for " + params.all().get(0).name()
                + ", which has " + params.all().get(0).size(), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> adam.load(new OptimizerState(1, java.util.Map.of("m", oneTensor, "v", misshapen))));
    }

    @Test
    void invalidHyperparametersAreRejectedNamingTheArgument() {
        assertMessage("beta1", () -> new AdamW(1, .999, 1e-8, 0));
        assertMessage("beta2", () -> new AdamW(.9, -.1, 1e-8, 0));
        assertMessage("epsilon", () -> new AdamW(.9, .999, 0, 0));
        assertMessage("weightDecay", () -> new AdamW(.9, .999, 1e-8, -1));
        assertMessage("lr", () -> new AdamW().step(twoParameters(), -.1));
    }

    static void assertMessage(String argument, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(argument), e.getMessage());
    }

    private static Parameters twoParameters() {
        Parameters params = new Parameters();
        Parameter w = params.add("w", true, 2, 2);
        Parameter b = params.add("b", false, 1);
        float[] start = {.5f, -.25f, 1f, 2f};
        System.arraycopy(start, 0, w.value().data, 0, 4);
        b.value().data[0] = -1;
        return params;
    }

    private static void setGradients(Parameters params, int step) {
        int k = 0;
        for (Parameter p : params.all()) {
            for (int i = 0; i < p.size(); i++, k++) {
                p.grad().data[i] = (float) Math.sin(1 + k + 3 * step);
            }
        }
    }
}
