package io.sparklm.model;

import io.sparklm.nn.Cache;
import io.sparklm.nn.KeyValueCache;
import io.sparklm.tensor.NativeFloats;
import io.sparklm.tensor.Tensor;

/**
 * Incremental decoding of B sequences with a {@link Gpt}: each sequence keeps, per layer, the keys
 * and values of the positions it has seen (a {@link KeyValueCache} of blockSize positions), so a
 * prompt is processed once ({@link #append}) and each new token costs one position ({@link #step}):
 * its q, k, v, attention against the cache, the MLP, ln_f and one row of logits (1 × V).
 *
 * <p>Sequences have their own lengths; a sequence that holds blockSize positions takes no more
 * until it is {@link #clear cleared} and given a shorter window.
 */
public final class Decoder implements AutoCloseable {
    private final Gpt model;
    /** cache[layer][sequence]. */
    private final KeyValueCache[][] cache;
    /** The model's wte in native memory, copied once: the weights do not change while it decodes. */
    private final NativeFloats embedding;
    private final Cache scratch = Cache.inference();

    Decoder(Gpt model, int batch) {
        if (batch <= 0) {
            throw new IllegalArgumentException("a decoder needs at least one sequence, got " + batch);
        }
        ModelConfig config = model.config();
        this.model = model;
        this.embedding = model.nativeEmbedding();
        this.cache = new KeyValueCache[config.layers()][batch];
        for (KeyValueCache[] layer : cache) {
            for (int b = 0; b < batch; b++) {
                layer[b] = new KeyValueCache(config.blockSize(), config.width());
            }
        }
    }

    public int batch() {
        return cache[0].length;
    }

    /** Tokens that {@code sequence} holds, at most blockSize. */
    public int length(int sequence) {
        return cache[0][sequence].length();
    }

    /** Appends {@code ids} (a prompt, say) to one sequence; returns the logits (1, V) after its last token. */
    public Tensor append(int sequence, int[] ids) {
        if (ids.length == 0) {
            throw new IllegalArgumentException("nothing to append to sequence " + sequence + ": give at least one token");
        }
        KeyValueCache[][] column = new KeyValueCache[cache.length][];
        for (int layer = 0; layer < cache.length; layer++) {
            column[layer] = new KeyValueCache[] {cache[layer][sequence]};
        }
        return model.forwardCached(ids, ids.length, column, embedding, scratch);
    }

    /** Appends one token to each sequence, {@code ids[b]} to sequence b; returns the logits (B, V) after them. */
    public Tensor step(int[] ids) {
        return model.forwardCached(ids, 1, cache, embedding, scratch);
    }

    /** Frees the native copy of the embedding now rather than when the decoder is collected. */
    @Override
    public void close() {
        embedding.close();
    }

    /** Empties one sequence, to start it again from a new prompt or a shorter window. */
    public void clear(int sequence) {
        for (KeyValueCache[] layer : cache) {
            layer[sequence].clear();
        }
    }
}
