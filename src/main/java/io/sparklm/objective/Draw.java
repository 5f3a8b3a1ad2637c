package io.sparklm.objective;

import io.sparklm.tensor.Rng;
import java.util.Arrays;

/**
 * The coordinates of one draw of random numbers (seed, then keys such as round, partition and
 * step), from which every RNG of a step is derived: a retried task with the same coordinates draws
 * the same batch, the same masks and the same dropout.
 */
public record Draw(long seed, long[] keys) {
    /** An RNG seeded by (seed, keys…, extra…). */
    public Rng rng(long... extra) {
        long[] all = Arrays.copyOf(keys, keys.length + extra.length);
        System.arraycopy(extra, 0, all, keys.length, extra.length);
        return Rng.derive(seed, all);
    }
}
