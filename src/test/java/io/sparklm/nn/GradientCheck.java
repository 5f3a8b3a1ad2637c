package io.sparklm.nn;

import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Finite-difference gradient check. The scalar under test is L = Σᵢ wᵢ·outᵢ with fixed random
 * weights w, summed in double; each checked entry's numerical derivative
 * (L(θ + h) − L(θ − h)) / 2h is compared with the analytic one from backward.
 */
final class GradientCheck {
    /**
     * The central difference's step h and the bound |analytic − numeric| ≤ absolute + relative·|numeric|.
     * The forward runs in float, so a smaller step trades the O(h²) truncation error for rounding
     * error of order (float ε)·|L|/h.
     */
    record Tolerance(float step, double absolute, double relative) {
    }

    /** The default, for layers and blocks: catches wrong terms, signs and transpositions, not errors of under about 2%. */
    static final Tolerance LAYERS = new Tolerance(1e-2f, 2e-3, 2e-2);
    /**
     * For shallow layers (pooling): an entry of size above 0.0125 that is off by 1% fails. The step
     * balances truncation against the float rounding of the outputs (about 1e-5 to 1e-4 in the
     * derivative): over 100 random draws each of padded 4-wide and unpadded 8-wide attention pooling,
     * the correct backward always met this bound, and half of it in 197 of the 200.
     */
    static final Tolerance TIGHT = new Tolerance(5e-3f, 1e-4, 2e-3);
    private static final int ENTRIES_PER_TENSOR = 24;

    /** A forward pass producing the output tensor, and its backward given ∂L/∂out. */
    interface Pass {
        Tensor forward();

        void backward(Tensor dOut);
    }

    private GradientCheck() {
    }

    /** Checks ∂L/∂input and ∂L/∂θ of a layer applied to {@code input}. */
    static List<String> layer(Layer layer, Tensor input, Parameters params) {
        Tensor[] dInput = new Tensor[1];
        Cache[] last = new Cache[1];
        Pass pass = new Pass() {
            @Override
            public Tensor forward() {
                last[0] = Cache.inference();
                return layer.forward(input, last[0]);
            }

            @Override
            public void backward(Tensor dOut) {
                dInput[0] = layer.backward(dOut, last[0]);
            }
        };
        return check(pass, params, List.of(input), () -> List.of(dInput[0]));
    }

    /**
     * Checks the gradients of {@code inputs} (returned by {@code inputGrads} after backward) and of
     * every parameter with the {@link #LAYERS} tolerance. Returns a description of each mismatch;
     * empty means the check passed.
     */
    static List<String> check(Pass pass, Parameters params, List<Tensor> inputs, Supplier<List<Tensor>> inputGrads) {
        return check(pass, params, inputs, inputGrads, LAYERS);
    }

    /** {@link #check(Pass, Parameters, List, Supplier)} within {@code tolerance}. */
    static List<String> check(Pass pass, Parameters params, List<Tensor> inputs, Supplier<List<Tensor>> inputGrads,
                              Tolerance tolerance) {
        Tensor probe = pass.forward();
        Tensor weights = Tensor.zeros(probe.shape());
        new Rng(99).fillNormal(weights, 1.0);
        params.zeroGrad();
        pass.backward(weights.copy());
        List<Tensor> analyticInputs = new ArrayList<>();
        for (Tensor g : inputGrads.get()) {
            analyticInputs.add(g.copy());
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            compare("input " + i, inputs.get(i), analyticInputs.get(i), pass, weights, tolerance, failures);
        }
        for (Parameter p : params.all()) {
            compare(p.name(), p.value(), p.grad().copy(), pass, weights, tolerance, failures);
        }
        return failures;
    }

    private static void compare(String what, Tensor value, Tensor analytic, Pass pass, Tensor weights, Tolerance tolerance,
                                List<String> failures) {
        Rng pick = new Rng(what.hashCode());
        int n = Math.min(ENTRIES_PER_TENSOR, value.size());
        for (int k = 0; k < n; k++) {
            int i = value.size() <= ENTRIES_PER_TENSOR ? k : pick.nextInt(value.size());
            float saved = value.data[i];
            value.data[i] = saved + tolerance.step();
            double plus = weightedSum(pass.forward(), weights);
            value.data[i] = saved - tolerance.step();
            double minus = weightedSum(pass.forward(), weights);
            value.data[i] = saved;
            double numeric = (plus - minus) / (2 * tolerance.step());
            double a = analytic.data[i];
            if (Math.abs(a - numeric) > tolerance.absolute() + tolerance.relative() * Math.abs(numeric)) {
                failures.add(String.format("%s[%d]: analytic %.6f numeric %.6f", what, i, a, numeric));
            }
        }
    }

    private static double weightedSum(Tensor out, Tensor weights) {
        double s = 0;
        for (int i = 0; i < out.size(); i++) {
            s += (double) out.data[i] * weights.data[i];
        }
        return s;
    }

    /** A tensor of the given shape filled with N(0, 1). */
    static Tensor randn(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        new Rng(seed).fillNormal(t, 1.0);
        return t;
    }

    /** Fills every parameter with N(0, std²) so that gains and biases are not at special values. */
    static void randomise(Parameters params, long seed, double std) {
        Rng rng = new Rng(seed);
        for (Parameter p : params.all()) {
            rng.fillNormal(p.value(), std);
        }
    }
}
