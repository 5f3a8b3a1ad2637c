package io.sparklm.data.shard;

import java.io.Serializable;

/**
 * How a corpus becomes shards: blocks of {@code blockSize + 1} token ids (a model with context
 * {@code blockSize} reads the first {@code blockSize} and predicts the last {@code blockSize}),
 * documents longer than {@link #pieceLength()} ids cut into pieces, and documents and pieces sent
 * to validation with probability {@code valFraction} by a hash of their id and {@code seed} (see
 * {@link DocumentSplitter}). The seed also orders the blocks that {@link Shards} deals to workers.
 */
public record ShardSpec(int blockSize, double valFraction, long seed) implements Serializable {
    /** Blocks per piece of a long document: {@link #pieceLength()} is this many blocks. */
    public static final int PIECE_BLOCKS = 4;

    public ShardSpec {
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be positive, got " + blockSize);
        }
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("valFraction must be in [0, 1), got " + valFraction);
        }
    }

    /** Token ids per block: {@code blockSize + 1}. */
    public int blockLength() {
        return blockSize + 1;
    }

    /** Token ids per piece of a long document: {@code PIECE_BLOCKS · (blockSize + 1)}. */
    public int pieceLength() {
        return Math.multiplyExact(PIECE_BLOCKS, blockLength());
    }
}
