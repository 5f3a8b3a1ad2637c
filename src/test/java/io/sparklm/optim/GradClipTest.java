package io.sparklm.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklm.nn.Parameters;
import org.junit.jupiter.api.Test;

class GradClipTest {
    private static Parameters gradients(float[] first, float[] second) {
        Parameters params = new Parameters();
        System.arraycopy(first, 0, params.add("a", true, first.length).grad().data, 0, first.length);
        System.arraycopy(second, 0, params.add("b", false, second.length).grad().data, 0, second.length);
        return params;
    }

    @Test
    void normIsOverAllParametersTogetherAndClippingScalesThemAllByMaxOverNorm() {
        Parameters params = gradients(new float[] {3, 4}, new float[] {12});
        assertEquals(13, GradClip.clipGlobalNorm(params, 5), 1e-9);
        assertArrayEquals(new float[] {1.1538461538f, 1.5384615385f}, params.get("a").grad().data, 1e-6f);
        assertArrayEquals(new float[] {4.6153846154f}, params.get("b").grad().data, 1e-6f);
        assertEquals(5, GradClip.globalNorm(params), 1e-6);
    }

    @Test
    void gradientsWithinTheLimitAreLeftAlone() {
        Parameters params = gradients(new float[] {3, 4}, new float[] {12});
        assertEquals(13, GradClip.clipGlobalNorm(params, 20), 1e-9);
        assertArrayEquals(new float[] {3, 4}, params.get("a").grad().data, 0f);
        assertArrayEquals(new float[] {12}, params.get("b").grad().data, 0f);
    }

    @Test
    void nonPositiveMaxNormIsRejected() {
        AdamWTest.assertMessage("maxNorm", () -> GradClip.clipGlobalNorm(new Parameters(), 0));
    }
}
