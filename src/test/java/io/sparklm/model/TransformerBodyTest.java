package io.sparklm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklm.nn.Attention;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Parameters;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TransformerBodyTest {
    private static final ModelConfig CONFIG = ModelConfig.gpt(10, 8, 2, 2, 8);

    private static TransformerBody body(Attention.Mode mode) {
        Parameters params = new Parameters();
        TransformerBody body = new TransformerBody(params, "t.", CONFIG, mode, false, true);
        TransformerBody.initialise(new Rng(3), params, body);
        return body;
    }

    /** Rows [from, from + n) of h (B, T, C) flattened, for sequence b. */
    private static float[] rows(Tensor h, int b, int from, int n) {
        int t = h.dim(1);
        int c = h.dim(2);
        return Arrays.copyOfRange(h.data, (b * t + from) * c, (b * t + from + n) * c);
    }

    @Test
    void leftPaddedCausalSequencesGiveTheHiddenStatesTheyHaveUnpadded() {
        TransformerBody body = body(Attention.Mode.CAUSAL);
        int[] alone = {3, 1, 4, 1, 5};
        Tensor unpadded = body.forward(alone, 1, 5, null, null, null, Cache.inference());
        int[] ids = {0, 0, 0, 3, 1, 4, 1, 5, 2, 7, 1, 8, 2, 8, 1, 8};
        boolean[] valid = new boolean[16];
        Arrays.fill(valid, 3, 16, true);
        Tensor padded = body.forward(ids, 2, 8, valid, null, null, Cache.inference());
        assertArrayEquals(rows(unpadded, 0, 0, 5), rows(padded, 0, 3, 5), 1e-5f, "the real tokens of the left-padded sequence");
        Tensor other = body.forward(Arrays.copyOfRange(ids, 8, 16), 1, 8, null, null, null, Cache.inference());
        assertArrayEquals(rows(other, 0, 0, 8), rows(padded, 1, 0, 8), 1e-5f, "an unpadded neighbour in the batch is unchanged");
    }

    @Test
    void rightPaddedBidirectionalSequencesIgnoreThePadding() {
        TransformerBody body = body(Attention.Mode.BIDIRECTIONAL);
        int[] alone = {3, 1, 4};
        Tensor unpadded = body.forward(alone, 1, 3, null, null, null, Cache.inference());
        boolean[] valid = {true, true, true, false, false};
        Tensor padded = body.forward(new int[] {3, 1, 4, 9, 9}, 1, 5, valid, null, null, Cache.inference());
        assertArrayEquals(rows(unpadded, 0, 0, 3), rows(padded, 0, 0, 3), 1e-5f);
    }

    @Test
    void positionsCountRealTokensOnly() {
        boolean[] valid = {false, false, true, true, true, false};
        assertArrayEquals(new int[] {0, 0, 0, 1, 2, 0}, TransformerBody.positions(valid, 1, 6));
        assertEquals(0, TransformerBody.positions(new boolean[] {true}, 1, 1)[0]);
    }
}
