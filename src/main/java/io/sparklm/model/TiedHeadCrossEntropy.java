package io.sparklm.model;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Kernels;

/**
 * The tied output head fused with {@link CrossEntropy}: logits z = h·Eᵀ (+ β) for final hidden
 * states h (N, C), the token embedding E (V, C) and an optional output bias β (V, BERT's), scored
 * against the targets, without ever holding the N·V logits ({@link TiedHeadChunks}); for a chunk c:
 * <pre>
 *   z_c  = h_c·Eᵀ + β                               (R, V), the only logits held
 *   loss += Σ_{i∈c} wᵢ Lᵢ(z_i)
 *   g_c  = ∂(Σᵢ wᵢ Lᵢ / W)/∂z_c = wᵢ (softmax(z_i) − yᵢ) / W, written over z_c
 *   dh_c = g_c·E                                    (R, C)
 *   dE  += g_cᵀ·h_c                                 (V, C)
 *   dβ  += Σ_{i∈c} g_i                              (V)
 * </pre>
 * with W the normaliser (the whole batch's Σ wᵢ, so the gradient is that of the batch mean).
 * The products run on every BLAS thread and the rows' losses are split over the loop threads
 * ({@link CrossEntropy#rowsLoss}), so results depend on the thread count and on nothing else.
 */
final class TiedHeadCrossEntropy {
    /** Most logits one chunk holds: 16M floats (64 MiB, kept in Java and in native memory), 333 rows of GPT-2's 50257 classes. */
    static final int CHUNK_LOGITS = 1 << 24;
    private final CrossEntropy crossEntropy;
    private final TiedHeadChunks chunks;

    /** A head holding at most {@code chunkLogits} logits at a time ({@link #CHUNK_LOGITS} in models). */
    TiedHeadCrossEntropy(CrossEntropy crossEntropy, int chunkLogits) {
        this.crossEntropy = crossEntropy;
        this.chunks = new TiedHeadChunks(chunkLogits);
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
        boolean backward = dh != null;
        return chunks.run(h, n, c, v, e, (z, first, rows) -> {
            if (bias != null) {
                Kernels.addBias(z, bias, rows, v);
            }
            double loss = crossEntropy.rowsLoss(z, targets, first, rows, v, normaliser, backward ? z : null);
            if (backward && bias != null) {
                Kernels.sumRows(z, dBias, rows, v);
            }
            return loss;
        }, dh, dE, scratch);
    }
}
