package io.sparklm.nn;

import io.sparklm.tensor.Tensor;

/**
 * One transformer layer: self-attention, optional cross-attention (decoder of an encoder–decoder),
 * feed-forward, each in a residual branch with LayerNorm and dropout.
 *
 * <p>Pre-LN (GPT-2, the default): x ← x + drop(Attn(LN₁(x))); [x ← x + drop(Cross(LN_c(x), m))];
 * x ← x + drop(FFN(LN₂(x))). Post-LN (original Transformer, BERT): x ← LN₁(x + drop(Attn(x)));
 * [x ← LN_c(x + drop(Cross(x, m)))]; x ← LN₂(x + drop(FFN(x))).
 * Names follow GPT-2: {@code ln_1, attn, ln_2, mlp}, and {@code ln_cross_attn, crossattention}.
 */
public final class Block implements Layer {
    /** Where the LayerNorm sits relative to the residual connection. */
    public enum Norm { PRE, POST }

    private final Norm norm;
    private final LayerNorm ln1;
    private final Attention attention;
    private final LayerNorm lnCross;
    private final Attention crossAttention;
    private final LayerNorm ln2;
    private final FeedForward mlp;
    private final Dropout dropout;

    /** A layer whose self-attention is {@code selfMode}; {@code withCross} adds cross-attention. */
    public Block(Parameters params, String name, int width, int heads, int hidden, Activation activation,
                 Norm norm, Attention.Mode selfMode, boolean withCross, double dropout) {
        if (selfMode == Attention.Mode.CROSS) {
            throw new IllegalArgumentException("a block's self-attention is CAUSAL or BIDIRECTIONAL");
        }
        this.norm = norm;
        this.ln1 = new LayerNorm(params, name + ".ln_1", width);
        this.attention = new Attention(params, name + ".attn", width, heads, selfMode);
        this.lnCross = withCross ? new LayerNorm(params, name + ".ln_cross_attn", width) : null;
        this.crossAttention = withCross ? new Attention(params, name + ".crossattention", width, heads, Attention.Mode.CROSS) : null;
        this.ln2 = new LayerNorm(params, name + ".ln_2", width);
        this.mlp = new FeedForward(params, name + ".mlp", width, hidden, activation);
        this.dropout = new Dropout(dropout);
    }

    public Attention attention() {
        return attention;
    }

    /** The cross-attention, or null for a block without it. */
    public Attention crossAttention() {
        return crossAttention;
    }

    public FeedForward mlp() {
        return mlp;
    }

    @Override
    public Tensor forward(Tensor x, Cache cache) {
        return forward(x, null, cache);
    }

    @Override
    public Tensor backward(Tensor dOut, Cache cache) {
        return backward(dOut, cache, null);
    }

    /** Forward with the encoder output {@code memory} (B, S, C) for cross-attention, or null. */
    public Tensor forward(Tensor x, Tensor memory, Cache cache) {
        Tensor h = residual(x, attentionBranch(), cache.child("attn"));
        if (crossAttention != null) {
            requireMemory(memory);
            h = residual(h, crossBranch(memory), cache.child("cross"));
        }
        return residual(h, mlpBranch(), cache.child("mlp"));
    }

    /**
     * Backward; with cross-attention, ∂L/∂memory is added into {@code dMemory} (B, S, C).
     * Returns ∂L/∂x.
     */
    public Tensor backward(Tensor dOut, Cache cache, Tensor dMemory) {
        Tensor d = residualBackward(dOut, mlpBranch(), cache.child("mlp"));
        if (crossAttention != null) {
            if (dMemory == null) {
                throw new IllegalArgumentException("a block with cross-attention needs a dMemory tensor to add into");
            }
            d = residualBackward(d, crossBranch(null), cache.child("cross"));
            dMemory.addInPlace(cache.child("cross").child("sub").get("dMemory"));
        }
        return residualBackward(d, attentionBranch(), cache.child("attn"));
    }

    /**
     * Decoding: x (B, T, C) holds T new positions of each of B sequences, whose self-attention reads
     * and extends their key-value caches (see {@link Attention#forwardCached}); the same residual
     * branches as {@link #forward(Tensor, Cache)}, without dropout. Inference only.
     */
    public Tensor forwardCached(Tensor x, KeyValueCache[] sequences) {
        if (crossAttention != null) {
            throw new IllegalStateException("cached decoding is for decoder-only blocks; this block has cross-attention");
        }
        Cache inference = Cache.inference();
        Tensor h = residual(x, new Branch(ln1, cachedAttention(sequences)), inference.child("attn"));
        return residual(h, mlpBranch(), inference.child("mlp"));
    }

    private Layer cachedAttention(KeyValueCache[] sequences) {
        return new Layer() {
            @Override
            public Tensor forward(Tensor x, Cache cache) {
                return attention.forwardCached(x, sequences);
            }

            @Override
            public Tensor backward(Tensor dOut, Cache cache) {
                throw new UnsupportedOperationException("cached decoding is inference only: train through forward(x, cache)");
            }
        };
    }

    private void requireMemory(Tensor memory) {
        if (memory == null) {
            throw new IllegalArgumentException("a block with cross-attention needs the encoder output");
        }
    }

    /** One residual branch: its LayerNorm and its sub-layer. */
    private record Branch(LayerNorm norm, Layer sub) {
    }

    private Branch attentionBranch() {
        return new Branch(ln1, attention);
    }

    private Branch mlpBranch() {
        return new Branch(ln2, mlp);
    }

    private Branch crossBranch(Tensor memory) {
        return new Branch(lnCross, new Layer() {
            @Override
            public Tensor forward(Tensor x, Cache cache) {
                return crossAttention.forward(x, memory, cache);
            }

            @Override
            public Tensor backward(Tensor dOut, Cache cache) {
                Attention.CrossGradients g = crossAttention.backwardCross(dOut, cache);
                cache.put("dMemory", g.dMemory());
                return g.dx();
            }
        });
    }

    private Tensor residual(Tensor x, Branch branch, Cache cache) {
        if (norm == Norm.PRE) {
            Tensor y = branch.sub().forward(branch.norm().forward(x, cache.child("ln")), cache.child("sub"));
            return sum(x, dropout.forward(y, cache.child("drop")));
        }
        Tensor y = dropout.forward(branch.sub().forward(x, cache.child("sub")), cache.child("drop"));
        return branch.norm().forward(sum(x, y), cache.child("ln"));
    }

    /**
     * x + y, written over the branch output y: y is the sub-layer's (or dropout's) own buffer, which
     * no backward reads (a linear layer keeps its input, dropout its mask), so the residual needs no
     * (B, T, C) buffer of its own.
     */
    private static Tensor sum(Tensor x, Tensor y) {
        x.requireSameShape(y);
        for (int i = 0; i < y.size(); i++) {
            y.data[i] += x.data[i];
        }
        return y;
    }

    private Tensor residualBackward(Tensor dOut, Branch branch, Cache cache) {
        if (norm == Norm.PRE) {
            Tensor dy = dropout.backward(dOut, cache.child("drop"));
            Tensor dx = branch.norm().backward(branch.sub().backward(dy, cache.child("sub")), cache.child("ln"));
            dx.addInPlace(dOut);
            return dx;
        }
        Tensor dSum = branch.norm().backward(dOut, cache.child("ln"));
        Tensor dx = branch.sub().backward(dropout.backward(dSum, cache.child("drop")), cache.child("sub"));
        dx.addInPlace(dSum);
        return dx;
    }
}
