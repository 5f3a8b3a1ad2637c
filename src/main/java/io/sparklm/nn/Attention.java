package io.sparklm.nn;

import io.sparklm.nn.ScaledDotProductAttention.Shape;
import io.sparklm.tensor.StridedRows;
import io.sparklm.tensor.Tensor;

/**
 * Multi-head attention, MultiHead(Q, K, V) = Concat(head₁…head_h)·W^O with
 * headᵢ = softmax(QWᵢ^Q (KWᵢ^K)ᵀ/√d_k)·VWᵢ^V and d_k = C/h (Vaswani et al., 2017, §3.2.2).
 *
 * <p>Three modes: {@link Mode#CAUSAL} (decoder self-attention, query t sees keys ≤ t),
 * {@link Mode#BIDIRECTIONAL} (encoder self-attention with the cache's padding mask) and
 * {@link Mode#CROSS} (queries from x, keys and values from the encoder output, with the
 * memory padding mask). Self-attention projects Q, K, V with one fused {@code c_attn} [C, 3C]
 * as GPT-2 does; cross-attention uses {@code q_attn} [C, C] and {@code c_attn} [C, 2C] as
 * Hugging Face's GPT-2 cross-attention does. The output projection is {@code c_proj} [C, C].
 */
public final class Attention implements Layer {
    /** Which keys a query may attend to. */
    public enum Mode { CAUSAL, BIDIRECTIONAL, CROSS }

    /** Gradients of cross-attention with respect to both of its inputs. */
    public record CrossGradients(Tensor dx, Tensor dMemory) {
    }

    private final Mode mode;
    private final int width;
    private final int heads;
    private final Linear query;
    private final Linear projection;
    private final Linear output;

    public Attention(Parameters params, String name, int width, int heads, Mode mode) {
        if (width <= 0 || heads <= 0 || width % heads != 0) {
            throw new IllegalArgumentException(name + ": " + heads + " heads do not divide width " + width);
        }
        this.mode = mode;
        this.width = width;
        this.heads = heads;
        if (mode == Mode.CROSS) {
            this.query = new Linear(params, name + ".q_attn", width, width, true);
            this.projection = new Linear(params, name + ".c_attn", width, 2 * width, true);
        } else {
            this.query = null;
            this.projection = new Linear(params, name + ".c_attn", width, 3 * width, true);
        }
        this.output = new Linear(params, name + ".c_proj", width, width, true);
    }

    public Linear outputProjection() {
        return output;
    }

    /** Self-attention over x (B, T, C). */
    @Override
    public Tensor forward(Tensor x, Cache cache) {
        requireSelf();
        int b = x.dim(0);
        int t = x.dim(1);
        Tensor qkv = projection.forward(x, cache.child("c_attn"));
        int stride = 3 * width;
        Shape sh = new Shape(b, t, t, heads, width / heads, mode == Mode.CAUSAL, cache.keyValid());
        Tensor y = cache.tensor("y", b, t, width);
        float[] probs = cache.floats("probs", Tensor.length("attention scores (B·H·T·T)", "train.batchSize or model.blockSize", b, heads, t, t));
        ScaledDotProductAttention.forward(new StridedRows(qkv.data, 0, stride), new StridedRows(qkv.data, width, stride),
                new StridedRows(qkv.data, 2 * width, stride), sh, y.data, probs);
        cache.put("qkv", qkv);
        cache.put("probs", probs);
        cache.put("shape", sh);
        return output.forward(y, cache.child("c_proj"));
    }

    @Override
    public Tensor backward(Tensor dOut, Cache cache) {
        requireSelf();
        Tensor dy = output.backward(dOut, cache.child("c_proj"));
        Tensor qkv = cache.get("qkv");
        Tensor dqkv = cache.gradientZeros("dqkv", qkv.shape());
        int stride = 3 * width;
        ScaledDotProductAttention.backward(dy.data, cache.get("probs"),
                new StridedRows(qkv.data, 0, stride), new StridedRows(qkv.data, width, stride), new StridedRows(qkv.data, 2 * width, stride),
                new StridedRows(dqkv.data, 0, stride), new StridedRows(dqkv.data, width, stride), new StridedRows(dqkv.data, 2 * width, stride),
                cache.get("shape"));
        return projection.backward(dqkv, cache.child("c_attn"));
    }

    /** Cross-attention: queries from x (B, T, C), keys and values from memory (B, S, C). */
    public Tensor forward(Tensor x, Tensor memory, Cache cache) {
        requireCross();
        if (memory.dim(0) != x.dim(0)) {
            throw new IllegalArgumentException("memory batch " + memory.dim(0) + " does not match query batch " + x.dim(0));
        }
        int b = x.dim(0);
        Tensor q = query.forward(x, cache.child("q_attn"));
        Tensor kv = projection.forward(memory, cache.child("c_attn"));
        Shape sh = new Shape(b, x.dim(1), memory.dim(1), heads, width / heads, false, cache.memoryValid());
        Tensor y = cache.tensor("y", b, x.dim(1), width);
        float[] probs = cache.floats("probs", Tensor.length("cross-attention scores (B·H·T·S)", "the batch size or the sequence lengths",
                b, heads, x.dim(1), memory.dim(1)));
        ScaledDotProductAttention.forward(new StridedRows(q.data, 0, width), new StridedRows(kv.data, 0, 2 * width),
                new StridedRows(kv.data, width, 2 * width), sh, y.data, probs);
        cache.put("q", q);
        cache.put("kv", kv);
        cache.put("probs", probs);
        cache.put("shape", sh);
        return output.forward(y, cache.child("c_proj"));
    }

    public CrossGradients backwardCross(Tensor dOut, Cache cache) {
        requireCross();
        Tensor dy = output.backward(dOut, cache.child("c_proj"));
        Tensor q = cache.get("q");
        Tensor kv = cache.get("kv");
        Tensor dq = cache.gradientZeros("dq", q.shape());
        Tensor dkv = cache.gradientZeros("dkv", kv.shape());
        ScaledDotProductAttention.backward(dy.data, cache.get("probs"),
                new StridedRows(q.data, 0, width), new StridedRows(kv.data, 0, 2 * width), new StridedRows(kv.data, width, 2 * width),
                new StridedRows(dq.data, 0, width), new StridedRows(dkv.data, 0, 2 * width), new StridedRows(dkv.data, width, 2 * width),
                cache.get("shape"));
        return new CrossGradients(query.backward(dq, cache.child("q_attn")), projection.backward(dkv, cache.child("c_attn")));
    }

    /**
     * Causal self-attention for decoding: x (B, T, C) holds T new positions of each of B sequences,
     * {@code sequences[b]} the keys and values of sequence b's earlier positions. The new keys and
     * values are appended to it, and new query t of sequence b attends to its L_b cached keys and the
     * new ones up to t, as {@link #forward(Tensor, Cache)} does over the whole sequence. Inference only.
     */
    public Tensor forwardCached(Tensor x, KeyValueCache[] sequences) {
        if (mode != Mode.CAUSAL) {
            throw new IllegalStateException(mode + " attention cannot decode incrementally: only CAUSAL self-attention has a key-value cache");
        }
        int b = x.dim(0);
        int t = x.dim(1);
        if (sequences.length != b) {
            throw new IllegalArgumentException(sequences.length + " key-value caches for a batch of " + b + " sequences");
        }
        Tensor qkv = projection.forward(x, Cache.inference());
        int stride = 3 * width;
        Tensor y = Tensor.zeros(b, t, width);
        float[] sequenceOut = new float[t * width];
        for (int s = 0; s < b; s++) {
            KeyValueCache kv = sequences[s];
            kv.append(qkv.data, s * t, t);
            Shape sh = new Shape(1, t, kv.length(), heads, width / heads, true, null);
            ScaledDotProductAttention.forward(new StridedRows(qkv.data, s * t * stride, stride), kv.keys(), kv.values(), sh,
                    sequenceOut, new float[heads * t * kv.length()]);
            System.arraycopy(sequenceOut, 0, y.data, s * t * width, t * width);
        }
        return output.forward(y, Cache.inference());
    }

    private void requireSelf() {
        if (mode == Mode.CROSS) {
            throw new IllegalStateException("cross-attention needs the encoder output: call forward(x, memory, cache)");
        }
    }

    private void requireCross() {
        if (mode != Mode.CROSS) {
            throw new IllegalStateException(mode + " attention is self-attention: call forward(x, cache)");
        }
    }
}
