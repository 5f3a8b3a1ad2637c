package io.sparklm.model;

import io.sparklm.nn.Cache;
import io.sparklm.tensor.Blas;
import io.sparklm.tensor.NativeFloats;

/**
 * The tied output head's products taken over row chunks, for hidden states h (N, C) and the
 * token embedding E (V, C), without ever holding the N·V logits. For a chunk c of R rows
 * (R·V ≤ {@code chunkLogits}, chunks evened out):
 * <pre>
 *   z_c  = h_c·Eᵀ                                    (R, V), the only logits held
 *   loss += f(z_c)                                   f may write g_c = ∂loss/∂z_c over z_c
 *   dh_c = g_c·E                                     (R, C)      with a backward pass
 *   dE  += g_cᵀ·h_c                                  (V, C)
 * </pre>
 * as in llm.c's fused classifier and Liger Kernel's fused linear cross-entropy. E, h, dh, dE and
 * the chunk's logits live in {@link NativeFloats} of {@code scratch}, filled once per pass, so no
 * product copies E; only z_c crosses to Java (and back) for f. Each product runs on every
 * OpenBLAS thread; f is expected to split its rows over threads itself.
 */
final class TiedHeadChunks {
    /** f: reads chunk logits z (rows, V) of batch rows [first, first + rows); with a backward pass writes ∂loss/∂z over z. */
    @FunctionalInterface
    interface Rows {
        double apply(float[] z, int first, int rows);
    }

    private final int chunkLogits;

    TiedHeadChunks(int chunkLogits) {
        this.chunkLogits = chunkLogits;
    }

    /**
     * Σ f over the chunks; with {@code dh} non-null also dh = ∂loss/∂h (overwritten) and dE += ∂loss/∂E.
     *
     * @param h       (N, C) hidden states
     * @param e       (V, C) embedding values
     * @param dh      (N, C) or null for the forward pass only
     * @param dE      (V, C) gradient to add into; unused when {@code dh} is null
     * @param scratch where the buffers are kept between passes
     */
    double run(float[] h, int n, int c, int v, float[] e, Rows f, float[] dh, float[] dE, Cache scratch) {
        if (n == 0) {
            return 0;
        }
        int rows = rowsPerChunk(n, v);
        long vc = (long) v * c;
        NativeFloats eN = scratch.nativeFloats("eNative", vc);
        NativeFloats hN = scratch.nativeFloats("hNative", (long) n * c);
        NativeFloats zN = scratch.nativeFloats("zNative", (long) rows * v);
        float[] z = scratch.floats("z", rows * v);
        eN.put(e, 0, (int) vc, 0);
        hN.put(h, 0, n * c, 0);
        NativeFloats dhN = dh == null ? null : scratch.nativeFloats("dhNative", (long) n * c);
        NativeFloats dEN = dh == null ? null : scratch.nativeFloats("dENative", vc);
        if (dEN != null) {
            dEN.put(dE, 0, (int) vc, 0);
        }
        double sum = 0;
        for (int first = 0; first < n; first += rows) {
            int r = Math.min(rows, n - first);
            Blas.gemm(false, true, r, v, c, 1f, hN, (long) first * c, eN, 0, 0f, zN, 0);
            zN.get(0, z, 0, r * v);
            sum += f.apply(z, first, r);
            if (dh != null) {
                zN.put(z, 0, r * v, 0);
                Blas.gemm(false, false, r, c, v, 1f, zN, 0, eN, 0, 0f, dhN, (long) first * c);
                Blas.gemm(true, false, v, c, r, 1f, zN, 0, hN, (long) first * c, 1f, dEN, 0);
            }
        }
        if (dh != null) {
            dhN.get(0, dh, 0, n * c);
            dEN.get(0, dE, 0, (int) vc);
        }
        return sum;
    }

    /**
     * Rows of a chunk: as many as {@code chunkLogits} allows, evened out over the chunks that
     * takes (GPT-2's 1,024 rows of 50,257 logits: 4 chunks of 256, not 333, 333, 333 and 25).
     */
    int rowsPerChunk(int n, int v) {
        int most = Math.max(1, Math.min(n, chunkLogits / v));
        int chunks = (n + most - 1) / most;
        return (n + chunks - 1) / chunks;
    }
}
