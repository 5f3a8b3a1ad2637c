package io.sparklm.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MaskedLmMaskingTest {
    private static final int PAD = 0;
    private static final int UNK = 1;
    private static final int CLS = 2;
    private static final int SEP = 3;
    private static final int MASK = 4;
    private static final int VOCABULARY = 1000;
    private static final MaskedLmMasking BERT = new MaskedLmMasking(VOCABULARY, MASK, PAD, UNK, CLS, SEP);
    private static final int IGNORE = CrossEntropy.DEFAULT_IGNORE_INDEX;

    /** B sequences of [CLS], {@code words} ordinary ids, [SEP], [UNK] and two [PAD]s. */
    private static int[] sequences(int batch, int words, long seed) {
        Rng rng = new Rng(seed);
        int length = words + 5;
        int[] ids = new int[batch * length];
        for (int b = 0; b < batch; b++) {
            int at = b * length;
            ids[at] = CLS;
            for (int w = 1; w <= words; w++) {
                ids[at + w] = 5 + rng.nextInt(VOCABULARY - 5);
            }
            ids[at + words + 1] = SEP;
            ids[at + words + 2] = UNK;
            ids[at + words + 3] = PAD;
            ids[at + words + 4] = PAD;
        }
        return ids;
    }

    @Test
    void theSameSeedAndStreamMaskIdenticallyAndAnotherStepDifferently() {
        int[] ids = sequences(4, 50, 1);
        MaskedLmMasking.Masked first = BERT.mask(ids, 55, 42, 3, 1, 7);
        MaskedLmMasking.Masked retried = BERT.mask(ids, 55, 42, 3, 1, 7);
        assertArrayEquals(first.inputs(), retried.inputs());
        assertArrayEquals(first.targets(), retried.targets());
        assertFalse(Arrays.equals(first.targets(), BERT.mask(ids, 55, 42, 3, 1, 8).targets()));
    }

    @Test
    void sequenceBDrawsFromTheStreamDerivedFromSeedStreamAndB() {
        int[] ids = sequences(3, 40, 2);
        Rng[] rngs = {Rng.derive(42, 3, 1, 7, 0), Rng.derive(42, 3, 1, 7, 1), Rng.derive(42, 3, 1, 7, 2)};
        MaskedLmMasking.Masked derived = BERT.mask(ids, 45, 42, 3, 1, 7);
        MaskedLmMasking.Masked explicit = BERT.mask(ids, 45, rngs);
        assertArrayEquals(explicit.inputs(), derived.inputs());
        assertArrayEquals(explicit.targets(), derived.targets());
    }

    @Test
    void fifteenPercentOfOrdinaryTokensAreSelectedAndSplitEightyTenTenOverAHundredThousandTokens() {
        int batch = 100;
        int words = 1000;
        int[] ids = sequences(batch, words, 3);
        int[] original = ids.clone();
        MaskedLmMasking.Masked m = BERT.mask(ids, words + 5, 2024, 0, 0, 0);
        assertArrayEquals(original, ids, "the ids passed in are not modified");
        int ordinary = 0;
        int selected = 0;
        int masked = 0;
        int replaced = 0;
        int unchanged = 0;
        for (int i = 0; i < ids.length; i++) {
            boolean special = ids[i] < 5;
            ordinary += special ? 0 : 1;
            if (m.targets()[i] == IGNORE) {
                assertEquals(ids[i], m.inputs()[i], "unselected position " + i + " keeps its id");
                continue;
            }
            assertFalse(special, "special id " + ids[i] + " selected at position " + i);
            assertEquals(ids[i], m.targets()[i], "the target is the original id");
            selected++;
            int input = m.inputs()[i];
            if (input == MASK) {
                masked++;
            } else if (input == ids[i]) {
                unchanged++;
            } else {
                assertTrue(input >= 5, "random replacement " + input + " at position " + i + " is special");
                replaced++;
            }
        }
        assertEquals(100_000, ordinary);
        assertWithinFiveSigma(.15, selected, ordinary);
        assertWithinFiveSigma(.80, masked, selected);
        assertWithinFiveSigma(.10, replaced, selected);
        assertWithinFiveSigma(.10, unchanged, selected);
    }

    /** |count/n − p| ≤ 5σ with σ = √(p(1 − p)/n): at n = 10⁵, p = .15, σ ≈ .00113. */
    private static void assertWithinFiveSigma(double p, int count, int n) {
        double sigma = Math.sqrt(p * (1 - p) / n);
        double rate = (double) count / n;
        assertEquals(p, rate, 5 * sigma, count + " of " + n);
    }

    @Test
    void nothingSelectedGivesCrossEntropyWeightZeroAndNoNaN() {
        int[] onlySpecial = {CLS, SEP, PAD, PAD, CLS, UNK, MASK, PAD};
        MaskedLmMasking.Masked m = BERT.mask(onlySpecial, 4, 5, 0);
        assertArrayEquals(onlySpecial, m.inputs());
        assertArrayEquals(new int[] {IGNORE, IGNORE, IGNORE, IGNORE, IGNORE, IGNORE, IGNORE, IGNORE}, m.targets());
        Tensor logits = Tensor.zeros(8, VOCABULARY);
        new Rng(6).fillNormal(logits, 1);
        LossResult r = new CrossEntropy().compute(logits, m.targets());
        assertEquals(0, r.weight());
        assertEquals(0, r.mean());
        for (float g : r.grad().data) {
            assertEquals(0f, g);
        }
    }

    @Test
    void crossEntropyOverTheTargetsAveragesOverSelectedPositionsOnly() {
        int[] ids = sequences(2, 60, 7);
        MaskedLmMasking.Masked m = BERT.mask(ids, 65, 8, 1);
        Tensor logits = Tensor.zeros(ids.length, VOCABULARY);
        LossResult r = new CrossEntropy().compute(logits, m.targets());
        int selected = 0;
        for (int i = 0; i < ids.length; i++) {
            if (m.targets()[i] == IGNORE) {
                for (int v = 0; v < VOCABULARY; v++) {
                    assertEquals(0f, r.grad().data[i * VOCABULARY + v]);
                }
            } else {
                selected++;
            }
        }
        assertTrue(selected > 0, "some of 120 ordinary tokens are selected");
        assertEquals(selected, r.weight());
        assertEquals(Math.log(VOCABULARY), r.mean(), 1e-5);
    }

    @Test
    void invalidInputsAreRejectedNamingThePosition() {
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> BERT.mask(new int[] {5, 6, 1000, 7}, 2, 1));
        assertTrue(outside.getMessage().contains("ids[2] = 1000"), outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BERT.mask(new int[] {5, 6, 7}, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> BERT.mask(new int[] {5, 6}, 1, new Rng[] {new Rng(1)}));
        assertThrows(IllegalArgumentException.class, () -> new MaskedLmMasking(10, 10));
        assertThrows(IllegalArgumentException.class, () -> new MaskedLmMasking(2, 0, 1));
    }
}
