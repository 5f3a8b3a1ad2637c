package io.sparklm.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.LoggerFactory;

/**
 * {@code cblas_sgemm} on Java arrays in place: a small JNI library (src/main/c/sparklm_gemm.c,
 * built into the jar for linux-x86_64) pins the three arrays with {@code GetPrimitiveArrayCritical}
 * for the length of the product and calls OpenBLAS through the address of its {@code cblas_sgemm}.
 * Without it every product copies A and B into a native buffer and C in and out
 * ({@link GemmStaging}): on the nanoGPT configuration those copies were 7.6% of a step.
 *
 * <p>While an array is pinned the JVM defers garbage collection, for at most one product.
 * {@link #available()} is false, and sparklm copies, where the library is not in the jar (a
 * build without a C compiler) or does not load; the reason is logged once.
 */
final class CriticalGemm {
    /** Where the build puts the library among the classes. */
    static final String RESOURCE = "/io/sparklm/tensor/native/linux-x86_64/libsparklm_gemm.so";

    private static final long SGEMM = load();

    private CriticalGemm() {
    }

    /** True when products of Java arrays run in place. */
    static boolean available() {
        return SGEMM != 0;
    }

    /**
     * C = alpha · op(A) · op(B) + beta · C, row-major, on views whose strides are BLAS's leading
     * dimensions; the caller checks the bounds.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, StridedRows a, StridedRows b,
                     float beta, StridedRows c) {
        sgemm(SGEMM, transA, transB, m, n, k, alpha, a.data(), a.offset(), a.stride(), b.data(), b.offset(), b.stride(),
                beta, c.data(), c.offset(), c.stride());
    }

    private static native void sgemm(long function, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                     float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                                     float beta, float[] c, int cOffset, int ldc);

    /** The address of OpenBLAS's cblas_sgemm once the library has loaded; 0 when it cannot. */
    private static long load() {
        String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        if (!platform.equals("Linux/amd64")) {
            return unavailable("it is built for Linux/amd64 only, this JVM runs on " + platform);
        }
        try (InputStream in = CriticalGemm.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return unavailable(RESOURCE + " is not on the classpath (the build found no C compiler)");
            }
            Path file = Files.createTempFile("sparklm_gemm", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toString());
            } finally {
                Files.delete(file);
            }
            org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
            org.bytedeco.javacpp.Pointer address = org.bytedeco.javacpp.Loader.addressof("cblas_sgemm");
            if (address == null || address.isNull()) {
                return unavailable("OpenBLAS exports no cblas_sgemm");
            }
            return address.address();
        } catch (IOException | UnsatisfiedLinkError e) {
            return unavailable(e.toString());
        }
    }

    private static long unavailable(String why) {
        LoggerFactory.getLogger(CriticalGemm.class).warn("products of Java arrays copy their operands into native memory: {}", why);
        return 0;
    }
}
