package io.sparklm.train;

import io.sparklm.tensor.Blas;
import io.sparklm.tensor.Parallel;
import org.apache.spark.TaskContext;

/**
 * Sizes the JVM-wide kernel pool ({@link Parallel}) and OpenBLAS to a Spark task's CPUs
 * ({@code spark.task.cpus}), or to a count the run sets ({@code train.threads}). Every piece of
 * work an executor runs (training, validation, sampling, rollouts, scoring) calls it first: tasks
 * of one executor ask for the same count, so the setting changes once, never under a running
 * product, and concurrent tasks do not each run a thread per core.
 */
public final class TaskThreads {
    /** The count last set here; a parallel loop may have OpenBLAS at 1 meanwhile, which an equal request leaves alone. */
    private static int inUse;

    private TaskThreads() {
    }

    /** Uses {@code threads} when positive, else the CPUs of the running task (all cores outside a task). */
    public static synchronized void use(int threads) {
        int n = threads > 0 ? threads : taskCpus();
        if (n != inUse) {
            Parallel.setThreads(n);
            Blas.setThreads(n);
            inUse = n;
        }
    }

    /** The running task's CPUs; all cores outside a Spark task. */
    private static int taskCpus() {
        TaskContext task = TaskContext.get();
        return task == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, task.cpus());
    }
}
