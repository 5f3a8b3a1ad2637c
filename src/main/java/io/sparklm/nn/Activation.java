package io.sparklm.nn;

import io.sparklm.tensor.Kernels;

/** The feed-forward non-linearity: GELU (tanh form, GPT-2 and BERT) or ReLU (original Transformer). */
public enum Activation {
    GELU, RELU;

    void forward(float[] x, float[] out, int n) {
        if (this == GELU) {
            Kernels.geluForward(x, out, n);
        } else {
            Kernels.reluForward(x, out, n);
        }
    }

    void backward(float[] x, float[] dout, float[] dx, int n) {
        if (this == GELU) {
            Kernels.geluBackward(x, dout, dx, n);
        } else {
            Kernels.reluBackward(x, dout, dx, n);
        }
    }
}
