package io.sparklm.loss;

import java.util.Arrays;

/**
 * The causal language-model objective's shift: every position predicts the next token.
 *
 * <pre>
 *   L = −(1/T) Σ_t log P(x_t | x_&lt;t)
 * </pre>
 * (Radford et al. 2018, "Improving Language Understanding by Generative Pre-Training", eq. 1;
 * seeds-digest §7). A block of T + 1 tokens x[0..T] gives inputs x[0..T−1] and targets x[1..T]:
 * the shift happens exactly once, here, and the model's output at position t is scored against
 * targets[t] as is. The loss is {@link CrossEntropy} of the (B·T, V) logits against
 * {@link Batch#targets()}, a token-weighted mean over the B·T positions.
 */
public final class CausalLm {
    private CausalLm() {
    }

    /**
     * Model inputs and next-token targets for B blocks, each flat in row-major (B, T) order.
     *
     * @param inputs    B·T token ids fed to the model
     * @param targets   B·T token ids it must predict: targets[b·T + t] = block b's token t + 1
     * @param batchSize B
     * @param blockSize T
     */
    public record Batch(int[] inputs, int[] targets, int batchSize, int blockSize) {
    }

    /** A block of T + 1 tokens → inputs x[0..T−1], targets x[1..T]. */
    public static Batch shift(int[] block) {
        return batch(block, block.length - 1);
    }

    /** A whole sequence of T tokens → inputs the sequence, targets the sequence shifted left with {@code eos} appended ("A B C D" → "B C D &lt;eos&gt;"). */
    public static Batch shiftWithEos(int[] sequence, int eos) {
        if (sequence.length == 0) {
            throw new IllegalArgumentException("sequence is empty: there is no token to predict <eos> from");
        }
        int[] block = Arrays.copyOf(sequence, sequence.length + 1);
        block[sequence.length] = eos;
        return shift(block);
    }

    /**
     * B blocks of T + 1 tokens, stored back to back, → B·T inputs and B·T targets.
     *
     * @param blocks    B·(T + 1) token ids, block b at [b·(T+1), (b+1)·(T+1))
     * @param blockSize T ≥ 1, the number of positions predicted per block
     */
    public static Batch batch(int[] blocks, int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be at least 1 (blocks of 2 tokens), got " + blockSize);
        }
        int stride = blockSize + 1;
        if (blocks.length == 0 || blocks.length % stride != 0) {
            throw new IllegalArgumentException("blocks has " + blocks.length + " tokens, not a positive multiple of blockSize + 1 = " + stride);
        }
        int batchSize = blocks.length / stride;
        int[] inputs = new int[batchSize * blockSize];
        int[] targets = new int[batchSize * blockSize];
        for (int b = 0; b < batchSize; b++) {
            System.arraycopy(blocks, b * stride, inputs, b * blockSize, blockSize);
            System.arraycopy(blocks, b * stride + 1, targets, b * blockSize, blockSize);
        }
        return new Batch(inputs, targets, batchSize, blockSize);
    }
}
