package io.sparklm.nn;

import io.sparklm.tensor.Tensor;

/**
 * Token embedding: ids (B, T) → rows of the table E (V, C), out[b,t] = E[id[b,t]].
 * Backward scatters: ∂E[id] += ∂out[b,t]. Also serves as the tied output head's weight.
 */
public final class Embedding {
    private final int vocab;
    private final int width;
    private final Parameter table;

    public Embedding(Parameters params, String name, int vocab, int width) {
        this.vocab = vocab;
        this.width = width;
        this.table = params.add(name + ".weight", false, vocab, width);
    }

    public Parameter table() {
        return table;
    }

    /** Looks up {@code ids} (B·T of them) into a (B, T, C) tensor. */
    public Tensor forward(int[] ids, int batch, int time) {
        Tensor out = Tensor.zeros(batch, time, width);
        float[] e = table.value().data;
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " at position " + i + " is outside the vocabulary [0, " + vocab + ")");
            }
            System.arraycopy(e, id * width, out.data, i * width, width);
        }
        return out;
    }

    /** ∂E[id[i]] += ∂out[i] for every position i. */
    public void backward(int[] ids, Tensor dOut) {
        float[] g = table.grad().data;
        for (int i = 0; i < ids.length; i++) {
            int base = ids[i] * width;
            int src = i * width;
            for (int c = 0; c < width; c++) {
                g[base + c] += dOut.data[src + c];
            }
        }
    }
}
