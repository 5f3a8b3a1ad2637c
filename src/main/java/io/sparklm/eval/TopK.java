package io.sparklm.eval;

/**
 * Top-k filtering of logits without sorting the vocabulary: the k-th largest value z₍ₖ₎ is found
 * with a bounded min-heap of the k largest values seen so far, O(V log k), and every entry below
 * it is masked to −∞. Ties are settled by value, not index: every entry equal to z₍ₖ₎ is kept (so
 * more than k may survive), the same for any order of the vocabulary.
 */
final class TopK {
    private TopK() {
    }

    /** Sets to −∞ every entry of {@code z} below its k-th largest value (counted with multiplicity), 1 ≤ k ≤ |z|. */
    static void mask(float[] z, int k) {
        float threshold = kthLargest(z, k);
        for (int i = 0; i < z.length; i++) {
            if (z[i] < threshold) {
                z[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** The k-th largest of {@code values} counted with multiplicity: sorted ascending, element |z| − k. */
    static float kthLargest(float[] values, int k) {
        if (k < 1 || k > values.length) {
            throw new IllegalArgumentException("top-k needs 1 ≤ k ≤ " + values.length + ", got " + k);
        }
        float[] heap = new float[k];
        System.arraycopy(values, 0, heap, 0, k);
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(heap, i);
        }
        for (int i = k; i < values.length; i++) {
            if (values[i] > heap[0]) {
                heap[0] = values[i];
                siftDown(heap, 0);
            }
        }
        return heap[0];
    }

    /** Restores the min-heap order below {@code i}: heap[j] ≤ heap[2j+1], heap[2j+2]. */
    private static void siftDown(float[] heap, int i) {
        float v = heap[i];
        int n = heap.length;
        while (2 * i + 1 < n) {
            int child = 2 * i + 1;
            if (child + 1 < n && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= v) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = v;
    }
}
