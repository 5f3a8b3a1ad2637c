package io.sparklm.train;

import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import java.util.Locale;

/**
 * What a run needs in memory and moves per round, estimated before round 1 from the model's shape,
 * so that a run the heap cannot hold is refused with the setting to change instead of dying in an
 * OutOfMemoryError mid-round.
 *
 * <p>With N parameters, a batch of B sequences of T tokens, width C, feed-forward width F, H heads
 * and L layers, one training task holds
 * <pre>
 *   θ and its gradients          8·N bytes
 *   inner optimizer state        8·N (AdamW m, v), 4·N (SGD momentum) or 0
 *   the round's θ (broadcast)    4·N, once per executor
 *   activations kept for backward  4·B·T·(L + 2)·(8·C + 2·F) + 4·B·T·L·H·T bytes: per layer the
 *                                  norms' outputs, q/k/v, the attention output, the residual sums,
 *                                  the feed-forward activation and its derivative, and the attention
 *                                  probabilities; the backward buffers of two layers (Cache#child)
 *   tied head + loss             a chunk of at most 16M logits (never B·T·V); off the heap, in native
 *                                memory, the chunk again and copies of E and its gradient (8·V·C)
 *   the exchange                 8·chunk (one chunk in flight and its serialised copy)
 *   matrix products              nothing: they run on the arrays in place (CriticalGemm); a build
 *                                without its library stages A, B and C of each thread's largest
 *                                product off the heap instead (GemmStaging; 6.3M floats for GPT-2's MLP)
 * </pre>
 * and, where a batch is split over threads ({@link MicroBatchGradient}: small products only), each
 * extra thread a gradient replica (4·N). The
 * driver holds θ, the next θ, the outer velocity and the broadcast's serialised copy: 16·N. Per
 * round a worker receives 4·N bytes (θ), sends 4·N (its θₖ in chunks) and writes and reads 8·N of
 * optimizer state. The total per task is counted up by {@link #HEADROOM}: GPT-2 small at B = 4, T = 256
 * holds 3.52 GB live after a step where the terms above count 3.06 GB.
 */
public record MemoryPlan(long parameters, long perTaskBytes, long perExecutorBytes, long driverBytes,
                         long bytesInPerWorker, long bytesOutPerWorker, long stateBytesPerWorker) {
    /** What a task holds beyond the counted terms (scratch, the JIT's and the JVM's own), as a factor. */
    static final double HEADROOM = 1.15;
    /** Heap Spark keeps for itself in every JVM (its reserved memory). */
    static final long SPARK_RESERVED = 300L << 20;

    /**
     * @param parameters     N
     * @param optimizerKind  {@code adamw} or {@code sgd} (with momentum or not)
     * @param momentum       SGD momentum (0: no buffer)
     * @param batchSize      B
     * @param threads        threads per task
     * @param tasksPerJvm    tasks an executor runs at once
     * @param exchangeChunk  parameters per exchange chunk
     */
    public static MemoryPlan of(ModelConfig model, long parameters, String optimizerKind, double momentum, int batchSize,
                                int threads, int tasksPerJvm, int exchangeChunk) {
        long n = parameters;
        long optimizerFloats = optimizerKind.equals("adamw") ? 2 : momentum > 0 ? 1 : 0;
        long t = model.blockSize();
        long layerFloats = 8L * model.width() + 2L * model.hidden();
        long activations = 4L * batchSize * t * ((model.layers() + 2) * layerFloats + (long) model.layers() * model.heads() * t);
        long head = 4L * Gpt.HEAD_CHUNK_LOGITS;
        boolean replicas = (long) batchSize * t * model.width() * model.width() < MicroBatchGradient.REPLICATE_BELOW;
        long task = (long) (HEADROOM * (8 * n + 4 * optimizerFloats * n + activations + head + 8L * exchangeChunk
                + (replicas ? 4L * (threads - 1) * n : 0)));
        long executor = tasksPerJvm * task + 4 * n;
        return new MemoryPlan(n, task, executor, 16 * n, 4 * n, 4 * n, 4 * optimizerFloats * n);
    }

    /**
     * Refuses a plan that does not fit: {@code executorHeap} is each executor's heap, and in local
     * mode ({@code localMode}) the driver and its tasks share one heap.
     *
     * @throws IllegalArgumentException naming what to change
     */
    public void requireFits(long executorHeap, long driverHeap, boolean localMode, int tasksPerJvm) {
        if (localMode) {
            long need = perExecutorBytes + driverBytes;
            if (need > driverHeap - SPARK_RESERVED) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "this run needs about %s in the driver's JVM (%d concurrent "
                        + "tasks of %s each, plus %s for the driver's copies of θ), but its heap is %s: give the JVM more heap "
                        + "(SPARKLM_HEAP=…g for submit/sparklm, --driver-memory for spark-submit), or lower train.batchSize, "
                        + "the model size or the concurrent tasks (spark.master=local[N], spark.task.cpus)",
                        gb(need), tasksPerJvm, gb(perTaskBytes), gb(driverBytes), gb(driverHeap)));
            }
            return;
        }
        if (perExecutorBytes > executorHeap - SPARK_RESERVED) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "each executor needs about %s (%d concurrent tasks of %s each, "
                    + "plus %s for the round's θ), but spark.executor.memory is %s: raise spark.executor.memory, run fewer tasks per "
                    + "executor (spark.executor.cores / spark.task.cpus), or lower train.batchSize or the model size",
                    gb(perExecutorBytes), tasksPerJvm, gb(perTaskBytes), gb(4 * parameters), gb(executorHeap)));
        }
        if (driverBytes > driverHeap - SPARK_RESERVED) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the driver needs about %s for θ, the next θ, the outer "
                    + "velocity and the broadcast, but its heap is %s: raise spark.driver.memory", gb(driverBytes), gb(driverHeap)));
        }
    }

    /** The log line: memory per task, per executor and for the driver, and bytes per worker per round. */
    public String describe() {
        return String.format(Locale.ROOT, "memory: %s per task, %s per executor, %s in the driver; per worker per round: "
                        + "%s in (θ), %s out (θₖ in chunks), %s of optimizer state written and read",
                gb(perTaskBytes), gb(perExecutorBytes), gb(driverBytes), gb(bytesInPerWorker), gb(bytesOutPerWorker),
                gb(stateBytesPerWorker));
    }

    private static String gb(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
