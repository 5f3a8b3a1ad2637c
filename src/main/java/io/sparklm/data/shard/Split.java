package io.sparklm.data.shard;

import java.util.Locale;

/**
 * The two parts of a corpus, chosen per document (or per piece of a long one, see
 * {@link DocumentSplitter}) from its id alone, so the split does not depend on how the corpus is
 * partitioned or ordered.
 *
 * <p>A document is {@link #VAL} when {@code u < valFraction}, with
 * {@code u = (splitmix64(fnv1a64(utf8(id)) ^ seed) >>> 11) / 2^53} ({@link SeededHash}), uniform
 * in {@code [0, 1)}.
 */
public enum Split {
    TRAIN, VAL;

    /** The split's name in shard paths and manifests: {@code "train"} or {@code "val"}. */
    public String dirName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The split of the document {@code id} for this seed and validation fraction. */
    public static Split of(String id, long seed, double valFraction) {
        return uniform(id, seed) < valFraction ? VAL : TRAIN;
    }

    /** {@code u} of the class comment. */
    static double uniform(String id, long seed) {
        return (SeededHash.of(id, seed) >>> 11) * 0x1.0p-53;
    }
}
