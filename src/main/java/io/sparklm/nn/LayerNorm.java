package io.sparklm.nn;

import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Tensor;

/**
 * Layer normalisation over the last axis: y = (x − μ)/√(σ² + ε)·γ + β, ε = 1e-5 by default,
 * γ initialised to 1 and β to 0 (see {@link Kernels#layerNormForward}).
 */
public final class LayerNorm implements Layer {
    public static final float DEFAULT_EPS = 1e-5f;
    private final int width;
    private final float eps;
    private final Parameter gamma;
    private final Parameter beta;

    public LayerNorm(Parameters params, String name, int width) {
        this(params, name, width, DEFAULT_EPS);
    }

    public LayerNorm(Parameters params, String name, int width, float eps) {
        this.width = width;
        this.eps = eps;
        this.gamma = params.addOnes(name + ".weight", width);
        this.beta = params.add(name + ".bias", false, width);
    }

    @Override
    public Tensor forward(Tensor x, Cache cache) {
        if (x.dim(-1) != width) {
            throw new IllegalArgumentException(gamma.name() + " expects width " + width + ", got " + x);
        }
        int n = x.rows();
        Tensor y = cache.tensor("y", x.shape());
        float[] mean = cache.floats("mean", n);
        float[] rstd = cache.floats("rstd", n);
        Kernels.layerNormForward(x.data, gamma.value().data, beta.value().data, y.data, mean, rstd, n, width, eps);
        cache.put("x", x);
        cache.put("mean", mean);
        cache.put("rstd", rstd);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, Cache cache) {
        Tensor x = cache.get("x");
        Tensor dx = cache.gradientZeros("dx", x.shape());
        Kernels.layerNormBackward(dy.data, x.data, cache.get("mean"), cache.get("rstd"), gamma.value().data,
                dx.data, gamma.grad().data, beta.grad().data, x.rows(), width);
        return dx;
    }
}
