package io.sparklm.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits an index range [0, n) over the cores of this JVM (at most {@code sparklm.threads} or {@link #setThreads}).
 *
 * <p>Work is cut into one contiguous chunk per thread, so each chunk's result is a function of
 * its indices only and results do not depend on scheduling.
 */
public final class Parallel {
    /** Body of a parallel loop over [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** Body of a parallel sum over [from, to): returns its part's sum. */
    @FunctionalInterface
    public interface RangeSum {
        double run(int from, int to);
    }

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final ForkJoinPool POOL = CORES > 1 ? new ForkJoinPool(CORES) : null;
    private static volatile int threads = Integer.getInteger("sparklm.threads", CORES);

    private Parallel() {
    }

    public static int threads() {
        return threads;
    }

    /** Threads a loop started here runs on: 1 inside the body of a parallel loop (loops nest inline), else {@link #threads()}. */
    public static int availableThreads() {
        return POOL != null && java.util.concurrent.ForkJoinTask.getPool() == POOL ? 1 : threads;
    }

    /** Caps the threads loops use (at most the cores of this JVM); a Spark task sets its CPU share. */
    public static void setThreads(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("threads must be positive, got " + n);
        }
        threads = Math.min(n, CORES);
    }

    /**
     * Runs {@code body} over [0, n), in parallel chunks when n ≥ {@code minPerThread} · 2. While
     * the chunks run, OpenBLAS is single-threaded: the loop's threads are the parallelism, and
     * products called from each of them on OpenBLAS threads as well would oversubscribe the cores
     * (measured: small per-head attention products took 38% of a GPT-2 step that way).
     */
    public static void forRange(int n, int minPerThread, Range body) {
        forChunks(n, chunks(n, minPerThread), (chunk, from, to) -> body.run(from, to));
    }

    /**
     * Σ of {@code body} over the chunks of [0, n) that {@link #forRange} cuts, each chunk's sum
     * added in chunk order: the result depends on the thread count only, never on scheduling.
     */
    public static double sum(int n, int minPerThread, RangeSum body) {
        double[] sums = new double[chunks(n, minPerThread)];
        forChunks(n, sums.length, (chunk, from, to) -> sums[chunk] = body.run(from, to));
        double total = 0;
        for (double s : sums) {
            total += s;
        }
        return total;
    }

    /** Chunk c of a loop: [from, to). */
    @FunctionalInterface
    private interface ChunkBody {
        void run(int chunk, int from, int to);
    }

    private static int chunks(int n, int minPerThread) {
        return availableThreads() == 1 ? 1 : Math.min(threads, Math.max(1, n / Math.max(1, minPerThread)));
    }

    private static void forChunks(int n, int chunks, ChunkBody body) {
        if (chunks <= 1) {
            body.run(0, 0, n);
            return;
        }
        int blasThreads = Blas.threads();
        Blas.setThreads(1);
        try {
            runChunks(n, chunks, body);
        } finally {
            Blas.setThreads(blasThreads);
        }
    }

    private static void runChunks(int n, int chunks, ChunkBody body) {
        POOL.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                RecursiveAction[] tasks = new RecursiveAction[chunks];
                for (int c = 0; c < chunks; c++) {
                    int chunk = c;
                    int from = (int) ((long) n * c / chunks);
                    int to = (int) ((long) n * (c + 1) / chunks);
                    tasks[c] = new RecursiveAction() {
                        @Override
                        protected void compute() {
                            body.run(chunk, from, to);
                        }
                    };
                }
                invokeAll(tasks);
            }
        });
    }
}
