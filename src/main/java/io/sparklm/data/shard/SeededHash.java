package io.sparklm.data.shard;

import java.nio.charset.StandardCharsets;

/**
 * 64-bit hashes of a document id or a block of token ids, mixed with a seed:
 * {@code splitmix64(fnv1a64(bytes) ^ seed)}. FNV-1a (Fowler, Noll, Vo) hashes the bytes, and the
 * SplitMix64 finaliser (Steele, Lea, Flood 2014, as in {@code java.util.SplittableRandom}) mixes
 * in the seed so that every bit of the input and the seed reaches every bit of the hash.
 */
final class SeededHash {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private SeededHash() {
    }

    /** The hash of {@code id}'s UTF-8 bytes. */
    static long of(String id, long seed) {
        long hash = FNV_OFFSET;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * FNV_PRIME;
        }
        return mix(hash, seed);
    }

    /** The hash of {@code ids}, each id as its four bytes, least significant first. */
    static long of(int[] ids, long seed) {
        long hash = FNV_OFFSET;
        for (int id : ids) {
            for (int shift = 0; shift < 32; shift += 8) {
                hash = (hash ^ ((id >>> shift) & 0xff)) * FNV_PRIME;
            }
        }
        return mix(hash, seed);
    }

    private static long mix(long hash, long seed) {
        long z = hash ^ seed;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
