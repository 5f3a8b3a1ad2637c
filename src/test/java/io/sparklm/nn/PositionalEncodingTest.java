package io.sparklm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklm.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PositionalEncodingTest {
    @Test
    void sinusoidsAtPositionOneMatchTheSeedVector() {
        float[] pe = PositionalEncoding.sinusoids(2, 4);
        assertArrayEquals(new float[] {.8414709848f, .5403023059f, .0099998333f, .9999500004f},
                java.util.Arrays.copyOfRange(pe, 4, 8), 1e-6f);
        assertArrayEquals(new float[] {0, 1, 0, 1}, java.util.Arrays.copyOfRange(pe, 0, 4), 0f);
    }

    @Test
    void sinusoidalPositionsHaveNoParametersAndAreAddedPerTimeStep() {
        Parameters params = new Parameters();
        PositionalEncoding pe = new PositionalEncoding(params, "wpe", PositionalEncoding.Kind.SINUSOIDAL, 8, 4);
        assertEquals(0, params.count());
        Tensor x = Tensor.zeros(2, 2, 4);
        pe.addTo(x);
        assertEquals(.8414709848f, x.get(1, 1, 0), 1e-6f);
    }
}
