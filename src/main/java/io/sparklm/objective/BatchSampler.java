package io.sparklm.objective;

import io.sparklm.loss.CausalLm;
import io.sparklm.tensor.Rng;

/**
 * Draws causal-LM batches from a token array: B windows of T + 1 consecutive tokens at uniform
 * random starts, as nanoGPT's {@code get_batch} does. Each batch's RNG is derived from
 * (seed, stream…, step), so a batch is reproducible from its coordinates alone.
 */
public final class BatchSampler {
    private final int[] tokens;
    private final int batchSize;
    private final int blockSize;

    public BatchSampler(int[] tokens, int batchSize, int blockSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (blockSize <= 0) {
            throw new IllegalArgumentException("blockSize must be positive, got " + blockSize);
        }
        if (tokens.length < blockSize + 1) {
            throw new IllegalArgumentException("text of " + tokens.length + " tokens is shorter than blockSize + 1 = "
                    + (blockSize + 1) + ": use a longer text or a smaller blockSize");
        }
        this.tokens = tokens;
        this.batchSize = batchSize;
        this.blockSize = blockSize;
    }

    public int batchSize() {
        return batchSize;
    }

    public int blockSize() {
        return blockSize;
    }

    /** The batch drawn by {@code rng}: starts uniform over the n − T windows of T + 1 tokens. */
    public CausalLm.Batch sample(Rng rng) {
        int stride = blockSize + 1;
        int[] blocks = new int[batchSize * stride];
        for (int b = 0; b < batchSize; b++) {
            int start = rng.nextInt(tokens.length - blockSize);
            System.arraycopy(tokens, start, blocks, b * stride, stride);
        }
        return CausalLm.batch(blocks, blockSize);
    }

    /**
     * The first {@code maxBlocks} consecutive blocks of T + 1 tokens of {@code tokens}, {@code batchSize}
     * blocks to an element (the last may hold fewer), each element the blocks back to back: what
     * evaluation reads.
     */
    public static java.util.List<int[]> consecutiveBlocks(int[] tokens, int blockSize, int batchSize, int maxBlocks) {
        int stride = blockSize + 1;
        int blocks = Math.min(maxBlocks, tokens.length / stride);
        java.util.List<int[]> batches = new java.util.ArrayList<>();
        for (int first = 0; first < blocks; first += batchSize) {
            int n = Math.min(batchSize, blocks - first);
            batches.add(java.util.Arrays.copyOfRange(tokens, first * stride, (first + n) * stride));
        }
        return batches;
    }
}
