package io.sparklm.tensor;

/**
 * Seeded, splittable pseudo-random numbers (SplitMix64, Steele, Lea and Flood, OOPSLA 2014).
 *
 * <p>A stream is a pure function of its seed: {@link #derive(long...)} mixes keys such as
 * (seed, round, partition, step) into a new independent stream, so a retried task draws exactly
 * the same numbers as the attempt it replaces. Nothing here reads the clock.
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;
    private double spareGaussian = Double.NaN;

    public Rng(long seed) {
        this.state = mix(seed);
    }

    /** A new stream determined by this stream's seed history and the keys, without advancing this one. */
    public static Rng derive(long seed, long... keys) {
        long s = mix(seed);
        for (long k : keys) {
            s = mix(s ^ mix(k + GOLDEN));
        }
        return new Rng(s);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform integer in [0, bound), unbiased (Lemire's multiply-shift with rejection). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Standard normal by the Marsaglia polar method. */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * f;
        return u * f;
    }

    /** Fills {@code t} with N(0, std²). */
    public void fillNormal(Tensor t, double std) {
        float[] d = t.data;
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (nextGaussian() * std);
        }
    }
}
