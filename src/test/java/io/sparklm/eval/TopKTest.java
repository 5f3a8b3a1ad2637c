package io.sparklm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparklm.tensor.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TopKTest {
    @Test
    void kthLargestEqualsTheSortedReferenceOnVectorsWithTies() {
        Rng rng = new Rng(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + (int) (rng.nextDouble() * 60);
            int distinct = 1 + (int) (rng.nextDouble() * 8);
            float[] z = new float[n];
            for (int i = 0; i < n; i++) {
                z[i] = trial % 2 == 0 ? (float) Math.floor(rng.nextDouble() * distinct) - 3 : (float) rng.nextDouble();
            }
            float[] sorted = z.clone();
            Arrays.sort(sorted);
            for (int k = 1; k <= n; k++) {
                assertEquals(sorted[n - k], TopK.kthLargest(z, k), "trial " + trial + " k " + k);
            }
        }
    }

    @Test
    void maskingKeepsEveryEntryTiedWithTheKthLargest() {
        float[] z = {0.5f, 2f, -1f, 2f, 1f, 1f, 1f};
        TopK.mask(z, 3);
        float ninf = Float.NEGATIVE_INFINITY;
        assertArrayEquals(new float[] {ninf, 2f, ninf, 2f, 1f, 1f, 1f}, z);
        float[] top = {3f, 1f, 2f};
        TopK.mask(top, 1);
        assertArrayEquals(new float[] {3f, ninf, ninf}, top);
    }

    @Test
    void kOutsideOneToTheVocabularyIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> TopK.kthLargest(new float[3], 0));
        assertThrows(IllegalArgumentException.class, () -> TopK.kthLargest(new float[3], 4));
    }
}
