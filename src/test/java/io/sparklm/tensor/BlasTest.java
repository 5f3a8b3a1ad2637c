package io.sparklm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

class BlasTest {
    private static float[] random(int n, long seed) {
        Rng rng = new Rng(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }

    /** C = alpha·op(A)·op(B) + beta·C by the definition, in double. */
    private static float[] reference(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
        float[] out = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                }
                out[i * n + j] = (float) (alpha * s + beta * c[i * n + j]);
            }
        }
        return out;
    }

    /** The staged product of dense arrays, as Blas runs it where the JNI library is missing. */
    private static void staged(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
        Blas.stagedGemm(ta, tb, m, n, k, alpha, StridedRows.dense(a, ta ? m : k), StridedRows.dense(b, tb ? k : n), beta,
                StridedRows.dense(c, n));
    }

    /** The rows × columns of a view, densely. */
    private static float[] dense(StridedRows view, int rows, int columns) {
        float[] out = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(view.data(), view.at(r), out, r * columns, columns);
        }
        return out;
    }

    @Test
    void productsOfStridedViewsEqualThoseOfTheirDenseCopiesOnBothPathsAndLeaveTheGapsAlone() {
        int m = 6;
        int n = 5;
        int k = 4;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int rowsA = ta ? k : m;
                int colsA = ta ? m : k;
                int rowsB = tb ? n : k;
                int colsB = tb ? k : n;
                StridedRows a = new StridedRows(random(3 + rowsA * 11, 21), 3, 11);
                StridedRows b = new StridedRows(random(2 + rowsB * 9, 22), 2, 9);
                float[] c = random(7 + m * 8, 23);
                float[] expected = reference(ta, tb, m, n, k, 0.5f, dense(a, rowsA, colsA), dense(b, rowsB, colsB), 1.5f,
                        dense(new StridedRows(c, 7, 8), m, n));
                float[] inPlace = c.clone();
                Blas.gemm(ta, tb, m, n, k, 0.5f, a, b, 1.5f, new StridedRows(inPlace, 7, 8));
                float[] viaStaging = c.clone();
                Blas.stagedGemm(ta, tb, m, n, k, 0.5f, a, b, 1.5f, new StridedRows(viaStaging, 7, 8));
                assertArrayEquals(expected, dense(new StridedRows(inPlace, 7, 8), m, n), 1e-5f);
                assertArrayEquals(inPlace, viaStaging, 0f, "ta=" + ta + " tb=" + tb);
                for (int i = 0; i < c.length; i++) {
                    boolean inView = i >= 7 && (i - 7) % 8 < n && (i - 7) / 8 < m;
                    if (!inView) {
                        assertEquals(c[i], inPlace[i], 0f, "element " + i + " lies between the rows of C's view");
                    }
                }
            }
        }
    }

    @Test
    void aViewOutsideItsArrayOrWithAStrideShorterThanItsRowsIsRefused() {
        float[] a = new float[20];
        float[] c = new float[20];
        IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(false, false, 4, 4, 4, 1f, new StridedRows(a, 5, 4), new StridedRows(a, 0, 4), 0f, new StridedRows(c, 0, 4)));
        assertEquals("gemm 4x4x4: A needs 4 rows of 4 from offset 5 with stride 4, in an array of 20", past.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(false, false, 2, 4, 2, 1f, new StridedRows(a, 0, 2), new StridedRows(a, 0, 4), 0f, new StridedRows(c, 0, 3)));
    }

    @Test
    void nativeBuffersAtOffsetsGiveTheSameProductAsArraysForEveryTransposition() {
        int m = 5;
        int n = 7;
        int k = 3;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = random(m * k, 1);
                float[] b = random(k * n, 2);
                float[] c = random(m * n, 3);
                float[] expected = reference(ta, tb, m, n, k, 0.5f, a, b, 2f, c);
                float[] viaArrays = c.clone();
                Blas.gemm(ta, tb, m, n, k, 0.5f, a, b, 2f, viaArrays);
                assertArrayEquals(expected, viaArrays, 1e-5f);
                try (NativeFloats na = new NativeFloats(4 + a.length); NativeFloats nb = new NativeFloats(b.length + 9);
                     NativeFloats nc = new NativeFloats(2 + c.length)) {
                    na.put(a, 0, a.length, 4);
                    nb.put(b, 0, b.length, 0);
                    nc.put(c, 0, c.length, 2);
                    Blas.gemm(ta, tb, m, n, k, 0.5f, na, 4, nb, 0, 2f, nc, 2);
                    float[] viaNative = new float[c.length];
                    nc.get(2, viaNative, 0, c.length);
                    assertArrayEquals(viaArrays, viaNative, 0f, "ta=" + ta + " tb=" + tb);
                }
            }
        }
    }

    @Test
    void arrayProductsOfChangingSizesShareTheirThreadsStagingBufferAndLeaveArrayTailsAlone() throws Exception {
        long[] grownTo = new long[4];
        FutureTask<Void> onAFreshThread = new FutureTask<>(() -> stageProductsOfChangingSizes(grownTo), null);
        new Thread(onAFreshThread).start();
        onAFreshThread.get();
        assertEquals(5 * 3 + 3 * 7 + 5 * 7, grownTo[0]);
        assertEquals(40 * 20 + 20 * 30 + 40 * 30, grownTo[1]);
        assertEquals(grownTo[1], grownTo[2], "a smaller product reuses the buffer");
        assertEquals(grownTo[1] + grownTo[1] / 2, grownTo[3], "a larger one grows it by half again");
    }

    /** Products of four sizes on this thread, each checked; grownTo[s] = the staging buffer's length after size s. */
    private static void stageProductsOfChangingSizes(long[] grownTo) {
        int[][] sizes = {{5, 7, 3}, {40, 30, 20}, {4, 3, 2}, {41, 30, 20}};
        for (int s = 0; s < sizes.length; s++) {
            int m = sizes[s][0];
            int n = sizes[s][1];
            int k = sizes[s][2];
            float[] a = random(m * k + 3, 10 + s);
            float[] b = random(k * n + 5, 20 + s);
            float[] c = random(m * n + 2, 30 + s);
            float[] accumulated = c.clone();
            staged(true, false, m, n, k, 1f, a, b, 1f, accumulated);
            assertArrayEquals(reference(true, false, m, n, k, 1f, a, b, 1f, c), accumulated, 1e-4f);
            float[] inPlace = c.clone();
            Blas.gemm(true, false, m, n, k, 1f, a, b, 1f, inPlace);
            assertArrayEquals(accumulated, inPlace, 0f, "either path runs the same OpenBLAS product");
            float[] overwritten = c.clone();
            overwritten[0] = Float.NaN;
            staged(false, true, m, n, k, 1f, a, b, 0f, overwritten);
            float[] expected = reference(false, true, m, n, k, 1f, a, b, 0f, c);
            assertArrayEquals(expected, overwritten, 1e-4f, "beta = 0 reads nothing of C, and C's tail is kept");
            inPlace = c.clone();
            inPlace[0] = Float.NaN;
            Blas.gemm(false, true, m, n, k, 1f, a, b, 0f, inPlace);
            assertArrayEquals(overwritten, inPlace, 0f);
            grownTo[s] = GemmStaging.length();
        }
    }

    @Test
    void threadsStageTheirProductsInTheirOwnBuffers() throws Exception {
        int m = 60;
        int n = 50;
        int k = 40;
        float[] b = random(k * n, 7);
        float[][] a = {random(m * k, 8), random(m * k, 9)};
        float[][] c = new float[2][m * n];
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                for (int repeat = 0; repeat < 200; repeat++) {
                    staged(false, false, m, n, k, 1f, a[id], b, 0f, c[id]);
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (int t = 0; t < 2; t++) {
            assertArrayEquals(reference(false, false, m, n, k, 1f, a[t], b, 0f, new float[m * n]), c[t], 1e-4f);
        }
    }

    @Test
    void whereTheBuildMadeTheLibraryArrayProductsRunInPlaceWithoutStaging() throws Exception {
        boolean built = CriticalGemm.class.getResource(CriticalGemm.RESOURCE) != null
                && System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64");
        assertEquals(built, CriticalGemm.available());
        int m = 33;
        int n = 17;
        int k = 65;
        float[] a = random(m * k, 11);
        float[] b = random(n * k, 12);
        float[] c = random(m * n, 13);
        long[] staged = new long[1];
        FutureTask<float[]> onAFreshThread = new FutureTask<>(() -> {
            float[] out = c.clone();
            Blas.gemm(true, true, m, n, k, 0.25f, a, b, -1f, out);
            staged[0] = GemmStaging.length();
            return out;
        });
        new Thread(onAFreshThread).start();
        assertArrayEquals(reference(true, true, m, n, k, 0.25f, a, b, -1f, c), onAFreshThread.get(), 1e-4f);
        assertEquals(built ? 0 : m * k + n * k + m * n, staged[0], "a staging buffer only where the library is missing");
    }

    @Test
    void aLargeCopyInAndOutAtOffsetsRoundTripsExactly() {
        int count = NativeFloats.PARALLEL_COPY + 12345;
        float[] src = random(count + 7, 40);
        try (NativeFloats buffer = new NativeFloats(count + 100)) {
            buffer.zero(count + 100);
            buffer.put(src, 7, count, 50);
            float[] back = new float[count + 3];
            buffer.get(50, back, 3, count);
            assertArrayEquals(java.util.Arrays.copyOfRange(src, 7, count + 7), java.util.Arrays.copyOfRange(back, 3, count + 3), 0f);
            float[] edges = new float[50];
            buffer.get(0, edges, 0, 50);
            assertArrayEquals(new float[50], edges, "nothing before the offset is written");
            buffer.get(count + 50, edges, 0, 50);
            assertArrayEquals(new float[50], edges, "nothing after the copy is written");
        }
    }

    @Test
    void aProductOrCopyOutsideANativeBufferIsRefused() {
        try (NativeFloats small = new NativeFloats(10)) {
            assertThrows(IndexOutOfBoundsException.class, () -> small.put(new float[4], 0, 4, 8));
            assertThrows(IndexOutOfBoundsException.class, () -> Blas.gemm(false, false, 4, 4, 4, 1f, small, 0, small, 0, 0f, small, 0));
            small.zero(10);
            float[] back = new float[10];
            small.get(0, back, 0, 10);
            assertArrayEquals(new float[10], back);
        }
        assertThrows(IllegalArgumentException.class, () -> new NativeFloats(0));
    }

    @Test
    void theThreadCountIsKeptAsLastSet() {
        int before = Blas.threads();
        try {
            Blas.setThreads(1);
            assertEquals(1, Blas.threads());
        } finally {
            Blas.setThreads(before);
        }
        assertEquals(before, Blas.threads());
    }
}
