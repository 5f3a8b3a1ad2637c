package io.sparklm.data;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The two parts of a corpus, chosen per document from its id alone, so the split does not depend
 * on how the corpus is partitioned or ordered.
 *
 * <p>A document is {@link #VAL} when {@code u < valFraction}, with
 * {@code u = (splitmix64(fnv1a64(utf8(id)) ^ seed) >>> 11) / 2^53}, uniform in {@code [0, 1)}:
 * FNV-1a (Fowler, Noll, Vo) hashes the id's UTF-8 bytes to 64 bits, and the SplitMix64 finaliser
 * (Steele, Lea, Flood 2014, as in {@code java.util.SplittableRandom}) mixes in the seed so that
 * every bit of the id and the seed reaches the top 53 bits.
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
        long hash = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        long z = hash ^ seed;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
