package io.sparklm.nn;

import io.sparklm.tensor.Tensor;

/**
 * Position information added to token embeddings, (T, C) rows for positions 0…T−1.
 *
 * <p>{@link Kind#LEARNED}: a trained table {@code wpe} [block, C] (GPT-2, BERT).
 * {@link Kind#SINUSOIDAL}: fixed PE(pos, 2i) = sin(pos/10000^{2i/C}), PE(pos, 2i+1) = cos(pos/10000^{2i/C})
 * (Vaswani et al., 2017, §3.5); no parameters.
 */
public final class PositionalEncoding {
    /** Learned table or fixed sinusoids. */
    public enum Kind { LEARNED, SINUSOIDAL }

    private final int blockSize;
    private final int width;
    private final Parameter table;
    private final float[] sinusoids;

    public PositionalEncoding(Parameters params, String name, Kind kind, int blockSize, int width) {
        this.blockSize = blockSize;
        this.width = width;
        this.table = kind == Kind.LEARNED ? params.add(name + ".weight", false, blockSize, width) : null;
        this.sinusoids = kind == Kind.SINUSOIDAL ? sinusoids(blockSize, width) : null;
    }

    public Parameter table() {
        return table;
    }

    /** PE for positions 0…blockSize−1 as a (blockSize·width) row-major array. */
    public static float[] sinusoids(int blockSize, int width) {
        float[] pe = new float[blockSize * width];
        for (int pos = 0; pos < blockSize; pos++) {
            for (int i = 0; i < width; i += 2) {
                double angle = pos / Math.pow(10000.0, (double) i / width);
                pe[pos * width + i] = (float) Math.sin(angle);
                if (i + 1 < width) {
                    pe[pos * width + i + 1] = (float) Math.cos(angle);
                }
            }
        }
        return pe;
    }

    /** x[b, t] += PE[t] for x (B, T, C). */
    public void addTo(Tensor x) {
        addTo(x, new int[x.dim(0)]);
    }

    /** x[b, t] += PE[starts[b] + t] for x (B, T, C): sequence b's T positions start at starts[b]. */
    public void addTo(Tensor x, int[] starts) {
        int t = x.dim(1);
        float[] pe = table != null ? table.value().data : sinusoids;
        int rowLen = t * width;
        for (int b = 0; b < x.dim(0); b++) {
            if (starts[b] + t > blockSize) {
                throw new IllegalArgumentException("positions " + starts[b] + "…" + (starts[b] + t - 1)
                        + " exceed the block size " + blockSize);
            }
            int base = b * rowLen;
            int from = starts[b] * width;
            for (int i = 0; i < rowLen; i++) {
                x.data[base + i] += pe[from + i];
            }
        }
    }

    /** x[i] += PE[positions[i]] for every row i of x (B, T, C): positions (B·T) need not be 0, 1, 2, …. */
    public void addAt(Tensor x, int[] positions) {
        float[] pe = table != null ? table.value().data : sinusoids;
        for (int i = 0; i < positions.length; i++) {
            int from = checkedPosition(positions[i]) * width;
            int base = i * width;
            for (int c = 0; c < width; c++) {
                x.data[base + c] += pe[from + c];
            }
        }
    }

    /** ∂wpe[positions[i]] += ∂x[i] for every row i; nothing for sinusoids. */
    public void backwardAt(Tensor dx, int[] positions) {
        if (table == null) {
            return;
        }
        float[] g = table.grad().data;
        for (int i = 0; i < positions.length; i++) {
            int to = positions[i] * width;
            int base = i * width;
            for (int c = 0; c < width; c++) {
                g[to + c] += dx.data[base + c];
            }
        }
    }

    private int checkedPosition(int position) {
        if (position < 0 || position >= blockSize) {
            throw new IllegalArgumentException("position " + position + " is outside the block size " + blockSize);
        }
        return position;
    }

    /** ∂wpe[t] += Σ_b ∂x[b, t]; nothing for sinusoids. */
    public void backward(Tensor dx) {
        if (table == null) {
            return;
        }
        int rowLen = dx.dim(1) * width;
        float[] g = table.grad().data;
        for (int b = 0; b < dx.dim(0); b++) {
            int base = b * rowLen;
            for (int i = 0; i < rowLen; i++) {
                g[i] += dx.data[base + i];
            }
        }
    }
}
