package io.sparklm.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.ToDoubleFunction;

/** Central-difference gradient checks against a loss formula evaluated in double precision. */
final class FiniteDifferences {
    private static final double STEP = 1e-5;
    private static final double RELATIVE_TOLERANCE = 1e-3;
    private static final double ABSOLUTE_FLOOR = 1e-6;

    private FiniteDifferences() {
    }

    /** Asserts analytic[i] ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h for every i. */
    static void assertGradient(float[] analytic, double[] x, ToDoubleFunction<double[]> f) {
        assertEquals(x.length, analytic.length, "gradient length");
        for (int i = 0; i < x.length; i++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += STEP;
            minus[i] -= STEP;
            double numeric = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * STEP);
            assertEquals(numeric, analytic[i], RELATIVE_TOLERANCE * Math.abs(numeric) + ABSOLUTE_FLOOR,
                    "d/dx[" + i + "]");
        }
    }

    static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
