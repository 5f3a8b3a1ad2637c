package io.sparklm.nn;

import io.sparklm.tensor.Kernels;

/** The feed-forward non-linearity: GELU (tanh form, GPT-2 and BERT) or ReLU (original Transformer). */
public enum Activation {
    GELU, RELU;

    /** out = act(x) and derivative = act'(x), element-wise. */
    public void forward(float[] x, float[] out, float[] derivative, int n) {
        if (this == GELU) {
            Kernels.geluForward(x, out, derivative, n);
        } else {
            Kernels.reluForward(x, out, derivative, n);
        }
    }
}
