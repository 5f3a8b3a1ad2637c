package io.sparklm.model;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Blas;
import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Parallel;

/**
 * The tied output head fused with {@link CrossEntropy}: logits z = h·Eᵀ (+ β) for final hidden
 * states h (N, C), the token embedding E (V, C) and an optional output bias β (V, BERT's), scored
 * against the targets, without ever holding the N·V logits. Rows are taken R at a time
 * (R·V ≤ {@code chunkLogits}); for a chunk c:
 * <pre>
 *   z_c  = h_c·Eᵀ + β                               (R, V), the only logits held
 *   loss += Σ_{i∈c} wᵢ Lᵢ(z_i)
 *   g_c  = ∂(Σᵢ wᵢ Lᵢ / W)/∂z_c = wᵢ (softmax(z_i) − yᵢ) / W, written over z_c
 *   dh_c = g_c·E                                    (R, C)
 *   dE  += g_cᵀ·h_c                                 (V, C)
 *   dβ  += Σ_{i∈c} g_i                              (V)
 * </pre>
 * with W the normaliser (the whole batch's Σ wᵢ, so the gradient is that of the batch mean), as
 * in llm.c's fused classifier and Liger Kernel's fused linear cross-entropy.
 *
 * <p>The chunks are cut into one contiguous part per thread. Part p sums its loss in its own
 * double and its dE (and dβ) into its own buffers (part 0 straight into the gradients); parts are then
 * added in part order, so results depend on the thread count and on nothing else.
 */
final class TiedHeadCrossEntropy {
    /**
     * Most logits one chunk holds: 16M floats (64 MiB), 333 rows of GPT-2's 50257 classes. Large
     * because each product copies E (V, C) in and out of native memory (see {@link Blas}).
     */
    static final int CHUNK_LOGITS = 1 << 24;
    private final CrossEntropy crossEntropy;
    private final int chunkLogits;

    /** A head holding at most {@code chunkLogits} logits per thread at a time ({@link #CHUNK_LOGITS} in models). */
    TiedHeadCrossEntropy(CrossEntropy crossEntropy, int chunkLogits) {
        this.crossEntropy = crossEntropy;
        this.chunkLogits = chunkLogits;
    }

    CrossEntropy crossEntropy() {
        return crossEntropy;
    }

    /**
     * Σᵢ wᵢ Lᵢ over the N rows; with {@code dh} non-null also dh = ∂(Σ wᵢ Lᵢ / W)/∂h (overwritten)
     * and dE += ∂(Σ wᵢ Lᵢ / W)/∂E.
     *
     * @param h       (N, C) hidden states
     * @param targets N targets, validated by {@link CrossEntropy#totalWeight}
     * @param normaliser W, the whole batch's Σ wᵢ (CrossEntropy#totalWeight); unused without dh
     * @param e       (V, C) embedding values
     * @param bias    (V) output bias β, or null for none
     * @param dh      (N, C) or null for the loss only
     * @param dE      (V, C) gradient to add into; unused when {@code dh} is null
     * @param dBias   (V) gradient of β to add into; unused when {@code dh} or {@code bias} is null
     * @param scratch where the chunk buffers are kept between calls
     */
    double forward(float[] h, int[] targets, int n, int c, int v, double normaliser,
                   float[] e, float[] bias, float[] dh, float[] dE, float[] dBias, Cache scratch) {
        int parts = Math.min(Parallel.availableThreads(), n);
        int rowsPerChunk = rowsPerChunk(n, v, parts);
        int chunks = (n + rowsPerChunk - 1) / rowsPerChunk;
        Part[] part = new Part[parts];
        for (int p = 0; p < parts; p++) {
            part[p] = new Part(scratch.floats("z" + p, rowsPerChunk * v), scratch.floats("h" + p, rowsPerChunk * c),
                    dh == null ? null : scratch.floats("dh" + p, rowsPerChunk * c),
                    dh == null ? null : p == 0 ? dE : scratch.floats("dE" + p, v * c),
                    dh == null || bias == null ? null : p == 0 ? dBias : scratch.floats("dBias" + p, v));
        }
        double[] partLoss = new double[parts];
        Parallel.forRange(parts, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                if (p > 0 && dh != null) {
                    java.util.Arrays.fill(part[p].dE, 0f);
                    if (part[p].dBias != null) {
                        java.util.Arrays.fill(part[p].dBias, 0f);
                    }
                }
                int endChunk = (int) ((long) chunks * (p + 1) / parts);
                for (int chunk = (int) ((long) chunks * p / parts); chunk < endChunk; chunk++) {
                    int first = chunk * rowsPerChunk;
                    int rows = Math.min(rowsPerChunk, n - first);
                    partLoss[p] += chunk(h, targets, first, rows, c, v, normaliser, e, bias, dh, part[p]);
                }
            }
        });
        double loss = partLoss[0];
        for (int p = 1; p < parts; p++) {
            loss += partLoss[p];
            if (dh != null) {
                float[] src = part[p].dE;
                for (int i = 0; i < src.length; i++) {
                    dE[i] += src[i];
                }
                if (part[p].dBias != null) {
                    for (int i = 0; i < v; i++) {
                        dBias[i] += part[p].dBias[i];
                    }
                }
            }
        }
        return loss;
    }

    /**
     * Rows of a chunk: as many as {@code chunkLogits} allows, then evened out so that the chunk count
     * is a multiple of the parts and every part gets the same rows (±1 chunk row). GPT-2's 1,024 rows
     * of 50,257 logits on two threads are 4 chunks of 256, not 333, 333, 333 and 25, which left one
     * thread with 666 rows and the other with 358.
     */
    private int rowsPerChunk(int n, int v, int parts) {
        int most = Math.max(1, Math.min(n, chunkLogits / v));
        int chunksPerPart = (int) Math.ceil((double) n / ((long) most * parts));
        return Math.max(1, (int) Math.ceil((double) n / ((long) chunksPerPart * parts)));
    }

    /** One thread's buffers: a chunk's logits z (R, V), its rows of h and dh (R, C), its dE (V, C) and dβ (V, or null). */
    private record Part(float[] z, float[] h, float[] dh, float[] dE, float[] dBias) {
    }

    /** One chunk of rows [first, first + rows): z = h·Eᵀ, its loss and, with dh, g → dh and the part's dE. */
    private double chunk(float[] h, int[] targets, int first, int rows, int c, int v, double normaliser,
                         float[] e, float[] bias, float[] dh, Part part) {
        System.arraycopy(h, first * c, part.h, 0, rows * c);
        Blas.gemm(false, true, rows, v, c, 1f, part.h, e, 0f, part.z);
        if (bias != null) {
            Kernels.addBias(part.z, bias, rows, v);
        }
        double loss = crossEntropy.rowsLoss(part.z, targets, first, rows, v, normaliser, dh == null ? null : part.z);
        if (dh != null) {
            if (part.dBias != null) {
                Kernels.sumRows(part.z, part.dBias, rows, v);
            }
            Blas.gemm(false, false, rows, c, v, 1f, part.z, e, 0f, part.dh);
            System.arraycopy(part.dh, 0, dh, first * c, rows * c);
            Blas.gemm(true, false, v, c, rows, 1f, part.z, part.h, 1f, part.dE);
        }
        return loss;
    }
}
