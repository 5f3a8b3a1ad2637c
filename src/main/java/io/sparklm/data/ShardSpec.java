package io.sparklm.data;

import java.util.OptionalInt;

/**
 * How a corpus becomes shards: blocks of {@code blockSize + 1} token ids (a model with context
 * {@code blockSize} reads the first {@code blockSize} and predicts the last {@code blockSize}),
 * documents sent to validation with probability {@code valFraction} by a hash of their id and
 * {@code seed} (see {@link Split}), and {@code endOfText}, when present, appended to every
 * document's ids so that blocks mark where documents meet.
 */
public record ShardSpec(int blockSize, double valFraction, long seed, OptionalInt endOfText) {
    public ShardSpec {
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be positive, got " + blockSize);
        }
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("valFraction must be in [0, 1), got " + valFraction);
        }
        if (endOfText == null || endOfText.orElse(0) < 0) {
            throw new IllegalArgumentException("endOfText must be empty or a token id >= 0, got " + endOfText);
        }
    }

    /** Token ids per block: {@code blockSize + 1}. */
    public int blockLength() {
        return blockSize + 1;
    }
}
