package io.sparklm.tensor;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

/**
 * Matrix products through OpenBLAS {@code cblas_sgemm} (row-major).
 *
 * <p>C(M×N) = alpha · op(A) · op(B) + beta · C, where op(A) is M×K and op(B) is K×N. Products of
 * Java arrays run on the arrays in place ({@link CriticalGemm}) where the build made its library;
 * elsewhere they copy their operands into a native buffer kept by the calling thread
 * ({@link GemmStaging}): A and B in, C in only when beta ≠ 0, and C back out. Products of
 * {@link NativeFloats} run in place.
 *
 * <p>OpenBLAS's threads spin after each threaded product for 2^{@code OPENBLAS_THREAD_TIMEOUT}
 * CPU cycles before they sleep, read from the environment once, when the library loads. Its
 * default, 2^28 (about 0.1 s), keeps them spinning through the element-wise kernels and per-head
 * products that {@link Parallel} runs on the same cores between two large products, so those run
 * on a core short. On two cores, 30% of the OpenBLAS thread's samples were that spin in a GPT-2
 * small step, and the GPT-2 small benchmark as a whole process took 0.92 of the wall time and 0.89
 * of the CPU time with 2^14 (three alternating pairs). The launch scripts export
 * {@link #THREAD_TIMEOUT}, sessions pass it to executors, and a process started without it logs a
 * warning when it loads this class.
 */
public final class Blas {
    /** The environment variable OpenBLAS reads its spin time from (log2 of CPU cycles, 4 to 30). */
    public static final String THREAD_TIMEOUT_ENV = "OPENBLAS_THREAD_TIMEOUT";
    /** The value sparklm runs with: 2^14 cycles, a few microseconds. */
    public static final String THREAD_TIMEOUT = "14";

    static {
        if (System.getenv(THREAD_TIMEOUT_ENV) == null && Runtime.getRuntime().availableProcessors() > 1) {
            org.slf4j.LoggerFactory.getLogger(Blas.class).warn("{} is not set: OpenBLAS's threads will spin for about 0.1 s "
                    + "after each product and slow sparklm's own kernels on the same cores; set {}={} in this process's environment",
                    THREAD_TIMEOUT_ENV, THREAD_TIMEOUT_ENV, THREAD_TIMEOUT);
        }
        org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
    }

    private Blas() {
    }

    /**
     * C = alpha · op(A) · op(B) + beta · C on dense arrays.
     *
     * @param transA use Aᵀ: A is stored K×M instead of M×K
     * @param transB use Bᵀ: B is stored N×K instead of K×N
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float alpha, float[] a, float[] b, float beta, float[] c) {
        gemm(transA, transB, m, n, k, alpha, StridedRows.dense(a, Math.max(1, transA ? m : k)),
                StridedRows.dense(b, Math.max(1, transB ? k : n)), beta, StridedRows.dense(c, Math.max(1, n)));
    }

    /**
     * C = alpha · op(A) · op(B) + beta · C on views into arrays (a head's columns of a projection,
     * a block of rows): A is stored as (transA ? K×M : M×K) rows of its view, B as (transB ? N×K :
     * K×N), C as M×N; elements between a view's rows are neither read nor written.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float alpha, StridedRows a, StridedRows b, float beta, StridedRows c) {
        check(m, n, k, "A", a, transA ? k : m, transA ? m : k);
        check(m, n, k, "B", b, transB ? n : k, transB ? k : n);
        check(m, n, k, "C", c, m, n);
        if (CriticalGemm.available()) {
            CriticalGemm.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
        } else {
            stagedGemm(transA, transB, m, n, k, alpha, a, b, beta, c);
        }
    }

    /** Refuses a view whose rows × columns do not lie inside its array, or whose stride is shorter than a row. */
    private static void check(int m, int n, int k, String name, StridedRows view, int rows, int columns) {
        long end = (long) view.offset() + (long) Math.max(0, rows - 1) * view.stride() + columns;
        if (view.offset() < 0 || view.stride() < Math.max(1, columns) || (rows > 0 && end > view.data().length)) {
            throw new IllegalArgumentException("gemm " + m + "x" + n + "x" + k + ": " + name + " needs " + rows + " rows of "
                    + columns + " from offset " + view.offset() + " with stride " + view.stride() + ", in an array of "
                    + view.data().length);
        }
    }

    /**
     * The product through this thread's native buffer ({@link GemmStaging}): A and B copied in
     * densely, C in only when beta ≠ 0, and C back out; bounds checked by the caller.
     */
    static void stagedGemm(boolean transA, boolean transB, int m, int n, int k,
                           float alpha, StridedRows a, StridedRows b, float beta, StridedRows c) {
        long sizeA = (long) m * k;
        long sizeB = (long) k * n;
        NativeFloats staging = GemmStaging.of(sizeA + sizeB + (long) m * n);
        stage(a, transA ? k : m, transA ? m : k, staging, 0);
        stage(b, transB ? n : k, transB ? k : n, staging, sizeA);
        if (beta != 0) {
            stage(c, m, n, staging, sizeA + sizeB);
        }
        gemm(transA, transB, m, n, k, alpha, staging, 0, staging, sizeA, beta, staging, sizeA + sizeB);
        if (c.stride() == n) {
            staging.get(sizeA + sizeB, c.data(), c.offset(), m * n);
        } else {
            float[] dense = GemmStaging.rows(m * n);
            staging.get(sizeA + sizeB, dense, 0, m * n);
            for (int r = 0; r < m; r++) {
                System.arraycopy(dense, r * n, c.data(), c.at(r), n);
            }
        }
    }

    /**
     * staging[at, at + rows·columns) = the view's rows, densely: one copy across JNI, the rows of
     * a strided view gathered on the heap first ({@link GemmStaging#rows}).
     */
    private static void stage(StridedRows view, int rows, int columns, NativeFloats staging, long at) {
        if (view.stride() == columns) {
            staging.put(view.data(), view.offset(), rows * columns, at);
        } else {
            float[] dense = GemmStaging.rows(rows * columns);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(view.data(), view.at(r), dense, r * columns, columns);
            }
            staging.put(dense, 0, rows * columns, at);
        }
    }

    /**
     * C = alpha · op(A) · op(B) + beta · C on native buffers, each read from its offset on: no
     * copy of any operand (see {@link NativeFloats}).
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, NativeFloats a, long aOffset,
                            NativeFloats b, long bOffset, float beta, NativeFloats c, long cOffset) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a.at(aOffset, (long) m * k), transA ? m : k, b.at(bOffset, (long) k * n), transB ? k : n,
                beta, c.at(cOffset, (long) m * n), n);
    }

    /** The number of threads OpenBLAS uses for one product. */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads OpenBLAS uses for one product (one setting for the whole process).
     * Calls {@code openblas_set_num_threads} through a function pointer looked up once: the
     * presets' {@code blas_set_num_threads} loads the library, looks up four symbols and allocates
     * function pointers on every call, under a global lock, and {@link Parallel} sets the count
     * twice per parallel loop.
     */
    public static synchronized void setThreads(int n) {
        if (n != threads) {
            SET_THREADS.call(n);
            threads = n;
        }
    }

    private static final org.bytedeco.openblas.presets.openblas_nolapack.SetNumThreads SET_THREADS = setThreadsFunction();
    /** The count last set; OpenBLAS starts with one thread per core (or OPENBLAS_NUM_THREADS). */
    private static volatile int threads = Runtime.getRuntime().availableProcessors();

    private static org.bytedeco.openblas.presets.openblas_nolapack.SetNumThreads setThreadsFunction() {
        org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.presets.openblas_nolapack.class);
        org.bytedeco.javacpp.Pointer address = org.bytedeco.javacpp.Loader.addressof("openblas_set_num_threads");
        if (address == null || address.isNull()) {
            throw new IllegalStateException("OpenBLAS has no openblas_set_num_threads");
        }
        return new org.bytedeco.openblas.presets.openblas_nolapack.SetNumThreads() { }.put(address);
    }
}
