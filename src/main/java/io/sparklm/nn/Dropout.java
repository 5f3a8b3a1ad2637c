package io.sparklm.nn;

import io.sparklm.tensor.Tensor;

/**
 * Inverted dropout: in training each element is kept with probability 1 − p and scaled by
 * 1/(1 − p), so inference is the identity. Srivastava et al., JMLR 2014. The mask is drawn from
 * the pass's seeded RNG, so a retried step drops the same elements.
 */
public final class Dropout implements Layer {
    private final float p;

    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
        }
        this.p = (float) p;
    }

    @Override
    public Tensor forward(Tensor x, Cache cache) {
        if (!cache.training() || p == 0f) {
            return x;
        }
        float scale = 1f / (1f - p);
        float[] mask = cache.floats("mask", x.size());
        Tensor y = cache.tensor("y", x.shape());
        for (int i = 0; i < mask.length; i++) {
            mask[i] = cache.rng().nextFloat() < p ? 0f : scale;
            y.data[i] = x.data[i] * mask[i];
        }
        cache.put("mask", mask);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, Cache cache) {
        if (!cache.training() || p == 0f) {
            return dy;
        }
        float[] mask = cache.get("mask");
        Tensor dx = cache.gradient("dx", dy.shape());
        for (int i = 0; i < mask.length; i++) {
            dx.data[i] = dy.data[i] * mask[i];
        }
        return dx;
    }
}
