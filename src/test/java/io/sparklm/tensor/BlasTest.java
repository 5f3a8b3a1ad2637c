package io.sparklm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
