package io.sparklm.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparklm.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CausalLmTest {
    private static final int A = 10;
    private static final int B = 11;
    private static final int C = 12;
    private static final int D = 13;
    private static final int E = 14;
    private static final int EOS = 0;

    @Test
    void aBlockOfTPlusOneTokensShiftsExactlyOnce() {
        CausalLm.Batch batch = CausalLm.shift(new int[] {A, B, C, D, E});
        assertArrayEquals(new int[] {A, B, C, D}, batch.inputs());
        assertArrayEquals(new int[] {B, C, D, E}, batch.targets());
        assertEquals(1, batch.batchSize());
        assertEquals(4, batch.blockSize());
    }

    @Test
    void aSequenceWithEosPredictsEosAfterItsLastToken() {
        CausalLm.Batch batch = CausalLm.shiftWithEos(new int[] {A, B, C, D}, EOS);
        assertArrayEquals(new int[] {A, B, C, D}, batch.inputs());
        assertArrayEquals(new int[] {B, C, D, EOS}, batch.targets());
    }

    @Test
    void aBatchShiftsEachBlockOnItsOwn() {
        CausalLm.Batch batch = CausalLm.batch(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, 3);
        assertEquals(2, batch.batchSize());
        assertEquals(3, batch.blockSize());
        assertArrayEquals(new int[] {1, 2, 3, 5, 6, 7}, batch.inputs());
        assertArrayEquals(new int[] {2, 3, 4, 6, 7, 8}, batch.targets());
    }

    @Test
    void lossWithLogitTwoOnEachTargetIsLogOfESquaredPlusFourMinusTwoPerPosition() {
        CausalLm.Batch batch = CausalLm.batch(new int[] {3, 1, 4, 1, 0, 2, 2, 4, 0, 1}, 4);
        int positions = batch.batchSize() * batch.blockSize();
        Tensor logits = Tensor.zeros(positions, 5);
        for (int t = 0; t < positions; t++) {
            logits.set(2f, t, batch.targets()[t]);
        }
        LossResult r = new CrossEntropy().compute(logits, batch.targets());
        assertEquals(0.4326529030, r.mean(), 1e-5);
        assertEquals(8, r.weight());
    }

    @Test
    void blocksThatDoNotTileTheBatchAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> CausalLm.batch(new int[] {1, 2, 3, 4, 5}, 3));
        assertThrows(IllegalArgumentException.class, () -> CausalLm.batch(new int[] {1, 2}, 0));
        assertThrows(IllegalArgumentException.class, () -> CausalLm.shift(new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> CausalLm.shiftWithEos(new int[0], EOS));
    }
}
