package io.sparklm.eval;

import io.sparklm.model.EncoderDecoder;
import io.sparklm.model.PaddedSequences;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;
import java.util.Arrays;

/**
 * Decoding with an {@link EncoderDecoder}: each of B sources is encoded once, then its output
 * y₁, y₂, … grows from the start id one token at a time, y_{t+1} drawn from
 * p = softmax(z_t / temperature) over the logits after [start, y₁ … y_t] (restricted to the k most
 * likely tokens when top-k is set, {@link TopK}); temperature 0 means greedy (argmax), as in
 * {@link Generator}. A sequence stops at the end id (not included in its output) or after
 * {@code maxTokens} tokens.
 *
 * <p>Each step re-runs the decoder over the whole prefix ({@link EncoderDecoder#nextLogits}),
 * since blocks with cross-attention have no key-value cache path: n tokens cost n decoder passes
 * over 1 … n positions, O(n²) positions in all, against O(n) for {@link Generator}'s cached
 * decoding. The B sequences step together; one that has ended keeps stepping (its tokens are
 * discarded) until every sequence has ended, which leaves the others unchanged since the decoder is
 * causal and the sequences independent.
 */
public final class Seq2SeqGenerator {
    private final EncoderDecoder model;
    private final int startId;
    private final int endId;

    /** Outputs start after {@code startId} and end before {@code endId} (the tokenizer's end-of-text id for both, in practice). */
    public Seq2SeqGenerator(EncoderDecoder model, int startId, int endId) {
        this.model = model;
        this.startId = startId;
        this.endId = endId;
    }

    /** The output for one source: at most {@code maxTokens} tokens, without the start and end ids. */
    public int[] generate(int[] source, int maxTokens, double temperature, int topK, Rng rng) {
        return generate(new int[][] {source}, maxTokens, temperature, topK, rng)[0];
    }

    /**
     * The outputs for B sources decoded together: at most {@code maxTokens} ≤ blockSize tokens each,
     * without the start and end ids. Draws are made in order of sequence within each step.
     */
    public int[][] generate(int[][] sources, int maxTokens, double temperature, int topK, Rng rng) {
        int blockSize = model.config().blockSize();
        if (maxTokens < 0 || maxTokens > blockSize) {
            throw new IllegalArgumentException("maxTokens must be in [0, model.blockSize = " + blockSize + "], got " + maxTokens);
        }
        if (temperature < 0) {
            throw new IllegalArgumentException("temperature must be ≥ 0, got " + temperature);
        }
        for (int b = 0; b < sources.length; b++) {
            if (sources[b].length > blockSize) {
                throw new IllegalArgumentException("source " + b + " of " + sources[b].length + " tokens exceeds model.blockSize "
                        + blockSize + ": truncate it as training does");
            }
        }
        int batch = sources.length;
        int[] lengths = new int[batch];
        boolean[] ended = new boolean[batch];
        int[][] prefixes = new int[batch][maxTokens + 1];
        for (int[] p : prefixes) {
            p[0] = startId;
        }
        EncoderDecoder.Memory memory = model.encode(PaddedSequences.rightPadded(sources));
        int v = model.config().vocabSize();
        int running = batch;
        for (int t = 1; t <= maxTokens && running > 0; t++) {
            int[] prefix = new int[batch * t];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(prefixes[b], 0, prefix, b * t, t);
            }
            Tensor logits = model.nextLogits(memory, prefix, t);
            for (int b = 0; b < batch; b++) {
                if (ended[b]) {
                    prefixes[b][t] = endId;
                    continue;
                }
                int token = Generator.pick(Arrays.copyOfRange(logits.data, b * v, (b + 1) * v), temperature, topK, rng);
                prefixes[b][t] = token;
                if (token == endId) {
                    ended[b] = true;
                    running--;
                } else {
                    lengths[b]++;
                }
            }
        }
        int[][] out = new int[batch][];
        for (int b = 0; b < batch; b++) {
            out[b] = Arrays.copyOfRange(prefixes[b], 1, 1 + lengths[b]);
        }
        return out;
    }
}
