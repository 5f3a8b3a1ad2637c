package io.sparklm.tensor;

/**
 * One native buffer per thread that {@link Blas#gemm(boolean, boolean, int, int, int, float, float[], float[], float, float[])}
 * copies its arrays into: A at 0, B after it, C after B. JavaCPP's own array path allocates fresh
 * native memory for each array on every call, copies it in and copies it back out (inputs too);
 * on GPT-2's 1024×3072×768 product that took the product from 34.7 ms to 52.6 ms here, against
 * 36.5 ms with this buffer (A and B copied in, C out). The buffer grows to the largest product its
 * thread has run, by half again each time, and lives as long as the thread (Spark's task threads
 * are pooled and reuse it from task to task); it is the only native memory an array product holds.
 */
final class GemmStaging {
    private static final ThreadLocal<NativeFloats> BUFFER = new ThreadLocal<>();
    private static final ThreadLocal<float[]> ROWS = ThreadLocal.withInitial(() -> new float[0]);

    private GemmStaging() {
    }

    /** This thread's buffer, at least {@code length} floats long. */
    static NativeFloats of(long length) {
        NativeFloats buffer = BUFFER.get();
        if (buffer == null || buffer.length() < length) {
            long grown = buffer == null ? length : Math.max(length, buffer.length() + buffer.length() / 2);
            if (buffer != null) {
                buffer.close();
            }
            buffer = new NativeFloats(grown);
            BUFFER.set(buffer);
        }
        return buffer;
    }

    /**
     * This thread's heap array of at least {@code length} floats, where a strided view's rows are
     * gathered before they cross to native memory in one copy (or land after it): a view of a
     * head's 64 rows of 32 columns is one JNI copy, not 64.
     */
    static float[] rows(int length) {
        float[] rows = ROWS.get();
        if (rows.length < length) {
            rows = new float[Math.max(length, rows.length + rows.length / 2)];
            ROWS.set(rows);
        }
        return rows;
    }

    /** The floats this thread's buffer holds now (0 before its first product). */
    static long length() {
        NativeFloats buffer = BUFFER.get();
        return buffer == null ? 0 : buffer.length();
    }
}
