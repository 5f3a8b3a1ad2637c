package io.sparklm.nn;

import io.sparklm.tensor.Blas;
import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Tensor;

/**
 * Affine map y = x·W + b over the last axis, x (…, in) → y (…, out). The bias is written into
 * every row of y first and the product added to it (β = 1): that replaces a pass adding the bias
 * afterwards and OpenBLAS's own pass zeroing C for β = 0.
 *
 * <p>W is stored [in, out], the layout of GPT-2's Conv1D (so {@code c_attn.weight} is [C, 3C]);
 * PyTorch's {@code nn.Linear} stores the transpose [out, in] and computes x·Wᵀ. Backward:
 * ∂W += xᵀ·∂y, ∂b += Σ_rows ∂y, ∂x = ∂y·Wᵀ.
 */
public final class Linear implements Layer {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(Parameters params, String name, int in, int out, boolean withBias) {
        this.in = in;
        this.out = out;
        this.weight = params.add(name + ".weight", true, in, out);
        this.bias = withBias ? params.add(name + ".bias", false, out) : null;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x, Cache cache) {
        requireWidth(x);
        int n = x.rows();
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        Tensor y = cache.tensor("y", shape);
        if (bias != null) {
            Kernels.fillRows(bias.value().data, y.data, n, out);
        }
        Blas.gemm(false, false, n, out, in, 1f, x.data, weight.value().data, bias != null ? 1f : 0f, y.data);
        cache.put("x", x);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, Cache cache) {
        Tensor x = cache.get("x");
        int n = x.rows();
        Blas.gemm(true, false, in, out, n, 1f, x.data, dy.data, 1f, weight.grad().data);
        if (bias != null) {
            Kernels.sumRows(dy.data, bias.grad().data, n, out);
        }
        Tensor dx = cache.gradient("dx", x.shape());
        Blas.gemm(false, true, n, in, out, 1f, dy.data, weight.value().data, 0f, dx.data);
        return dx;
    }

    private void requireWidth(Tensor x) {
        if (x.dim(-1) != in) {
            throw new IllegalArgumentException(weight.name() + " expects width " + in + ", got " + x);
        }
    }
}
