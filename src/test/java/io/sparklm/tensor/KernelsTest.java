package io.sparklm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Kernels against seeds-digest §6 and §13. */
class KernelsTest {
    @Test
    void layerNormOfOneToFourMatchesTheSeedVectorWithAndWithoutEps() {
        float[] x = {1, 2, 3, 4};
        float[] out = new float[4];
        Kernels.layerNormForward(x, new float[] {1, 1, 1, 1}, new float[4], out, new float[1], new float[1], 1, 4, 0f);
        assertArrayEquals(new float[] {-1.3416407865f, -.4472135955f, .4472135955f, 1.3416407865f}, out, 1e-6f);
        Kernels.layerNormForward(x, new float[] {1, 1, 1, 1}, new float[4], out, new float[1], new float[1], 1, 4, 1e-5f);
        assertEquals(-1.34163542f, out[0], 1e-6f);
        assertEquals(1.34163542f, out[3], 1e-6f);
    }

    @Test
    void rowSumsOfEveryLengthAndOffsetMatchTheSumInDouble() {
        java.util.Random random = new java.util.Random(5);
        float[] a = new float[60];
        for (int i = 0; i < a.length; i++) {
            a[i] = 3f + (float) random.nextGaussian();
        }
        for (int from = 0; from < 4; from++) {
            for (int len = 0; len <= 40; len++) {
                double sum = 0;
                double deviations = 0;
                for (int i = from; i < from + len; i++) {
                    sum += a[i];
                    deviations += (a[i] - 3.0) * (a[i] - 3.0);
                }
                assertEquals(sum, Kernels.sum(a, from, len), 1e-5 * (1 + Math.abs(sum)), "sum of " + len + " at " + from);
                assertEquals(deviations, Kernels.squaredDeviations(a, from, len, 3f), 1e-5 * (1 + deviations),
                        "squared deviations of " + len + " at " + from);
            }
        }
    }

    /** Rows of 131 = 16 · 8 + 3 entries, away from zero mean, against the forward and backward formulas in double. */
    @Test
    void layerNormOfWideRowsMatchesItsFormulasInDouble() {
        int n = 3;
        int c = 131;
        java.util.Random random = new java.util.Random(11);
        float[] x = new float[n * c];
        float[] dout = new float[n * c];
        float[] gamma = new float[c];
        float[] beta = new float[c];
        for (int i = 0; i < n * c; i++) {
            x[i] = 4f + 2f * (float) random.nextGaussian();
            dout[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < c; i++) {
            gamma[i] = 1f + 0.3f * (float) random.nextGaussian();
            beta[i] = 0.3f * (float) random.nextGaussian();
        }
        float[] out = new float[n * c];
        float[] mean = new float[n];
        float[] rstd = new float[n];
        Kernels.layerNormForward(x, gamma, beta, out, mean, rstd, n, c, 1e-5f);
        float[] dx = new float[n * c];
        float[] dgamma = new float[c];
        float[] dbeta = new float[c];
        Kernels.layerNormBackward(dout, x, mean, rstd, gamma, dx, dgamma, dbeta, n, c);

        double[] expectedDgamma = new double[c];
        double[] expectedDbeta = new double[c];
        for (int r = 0; r < n; r++) {
            double mu = 0;
            for (int i = 0; i < c; i++) {
                mu += x[r * c + i];
            }
            mu /= c;
            double var = 0;
            for (int i = 0; i < c; i++) {
                var += (x[r * c + i] - mu) * (x[r * c + i] - mu);
            }
            double s = 1 / Math.sqrt(var / c + 1e-5);
            assertEquals(mu, mean[r], 1e-5);
            assertEquals(s, rstd[r], 1e-5 * s);
            double gMean = 0;
            double gxMean = 0;
            for (int i = 0; i < c; i++) {
                double xhat = (x[r * c + i] - mu) * s;
                assertEquals(xhat * gamma[i] + beta[i], out[r * c + i], 1e-5, "y[" + r + "," + i + "]");
                gMean += dout[r * c + i] * gamma[i];
                gxMean += dout[r * c + i] * gamma[i] * xhat;
                expectedDgamma[i] += dout[r * c + i] * xhat;
                expectedDbeta[i] += dout[r * c + i];
            }
            gMean /= c;
            gxMean /= c;
            for (int i = 0; i < c; i++) {
                double xhat = (x[r * c + i] - mu) * s;
                double expected = s * (dout[r * c + i] * gamma[i] - gMean - xhat * gxMean);
                assertEquals(expected, dx[r * c + i], 1e-5 * (1 + Math.abs(expected)), "dx[" + r + "," + i + "]");
            }
        }
        for (int i = 0; i < c; i++) {
            assertEquals(expectedDgamma[i], dgamma[i], 1e-5 * (1 + Math.abs(expectedDgamma[i])), "dgamma[" + i + "]");
            assertEquals(expectedDbeta[i], dbeta[i], 1e-5 * (1 + Math.abs(expectedDbeta[i])), "dbeta[" + i + "]");
        }
    }

    @Test
    void expIsWithinAFloatUlpOfTheDoubleExponentialAndMathExpOutsideItsRange() {
        double worst = 0;
        for (int i = 0; i <= 2_000_000; i++) {
            float x = -87.3f + 175.6f * i / 2_000_000;
            double exact = Math.exp(x);
            worst = Math.max(worst, Math.abs(Kernels.exp(x) - exact) / exact);
        }
        assertTrue(worst < 1.2e-7, "largest relative error " + worst);
        assertEquals(1f, Kernels.exp(0f));
        for (float x : new float[] {-87.4f, -100f, -150f, 88.4f, 89f, 1000f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}) {
            assertEquals((float) Math.exp(x), Kernels.exp(x), "exp(" + x + ")");
        }
        assertTrue(Float.isNaN(Kernels.exp(Float.NaN)));
    }

    @Test
    void sumRowsAddsEachColumnInRowOrderAndFillRowsAndAddBiasBroadcastARowOnOneOrTwoThreads() {
        int n = 1300;
        int c = 61;
        float[] dout = new float[n * c];
        Rng rng = new Rng(5);
        for (int i = 0; i < dout.length; i++) {
            dout[i] = (float) rng.nextGaussian();
        }
        float[] expected = new float[c];
        for (int i = 0; i < c; i++) {
            float sum = i;
            for (int r = 0; r < n; r++) {
                sum += dout[r * c + i];
            }
            expected[i] = sum;
        }
        int threads = Parallel.threads();
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                float[] dbias = new float[c];
                for (int i = 0; i < c; i++) {
                    dbias[i] = i;
                }
                Kernels.sumRows(dout, dbias, n, c);
                assertArrayEquals(expected, dbias, 0f, "threads " + t);
                float[] filled = new float[n * c + 1];
                filled[n * c] = 7f;
                Kernels.fillRows(expected, filled, n, c);
                for (int r = 0; r < n; r++) {
                    assertArrayEquals(expected, java.util.Arrays.copyOfRange(filled, r * c, (r + 1) * c), 0f, "row " + r);
                }
                assertEquals(7f, filled[n * c], "the float after the last row");
                float[] biased = java.util.Arrays.copyOf(dout, n * c + 1);
                biased[n * c] = 7f;
                Kernels.addBias(biased, expected, n, c);
                for (int k = 0; k < n * c; k++) {
                    assertEquals(dout[k] + expected[k % c], biased[k], 0f, "element " + k);
                }
                assertEquals(7f, biased[n * c], "the float after the last row");
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void softmaxIsStableForLargeLogits() {
        float[] a = {1, 2, 3};
        float[] b = {1000, 1001, 1002};
        float[] c = {-1000, -1000};
        Kernels.softmaxInPlace(a, 0, 3);
        Kernels.softmaxInPlace(b, 0, 3);
        Kernels.softmaxInPlace(c, 0, 2);
        float[] expected = {.0900305732f, .2447284711f, .6652409558f};
        assertArrayEquals(expected, a, 1e-6f);
        assertArrayEquals(expected, b, 1e-6f);
        assertArrayEquals(new float[] {.5f, .5f}, c, 0f);
    }

    @Test
    void temperatureSoftmaxMatchesTheSeedVectors() {
        float[] cold = {1 / .5f, 2 / .5f, 3 / .5f};
        float[] hot = {1 / 2f, 2 / 2f, 3 / 2f};
        Kernels.softmaxInPlace(cold, 0, 3);
        Kernels.softmaxInPlace(hot, 0, 3);
        assertArrayEquals(new float[] {.0158762400f, .1173104278f, .8668133322f}, cold, 1e-6f);
        assertArrayEquals(new float[] {.1863237232f, .3071958857f, .5064803911f}, hot, 1e-6f);
    }

    @Test
    void geluUsesTheTanhApproximation() {
        float[] x = {-1, 1, 3};
        float[] out = new float[3];
        float[] derivative = new float[3];
        Kernels.geluForward(x, out, derivative, 3);
        assertArrayEquals(new float[] {-.1588080094f, .8411919906f, 2.9963626079f}, out, 1e-6f);
        for (int i = 0; i < 3; i++) {
            double h = 1e-3;
            double numeric = (geluTanh(x[i] + h) - geluTanh(x[i] - h)) / (2 * h);
            assertEquals(numeric, derivative[i], 1e-5, "gelu'(" + x[i] + ")");
        }
    }

    @Test
    void activationsMayWriteTheirDerivativeOverTheirInput() {
        float[] x = {-2.5f, -0.3f, 0f, 0.7f, 3.1f};
        for (boolean gelu : new boolean[] {true, false}) {
            float[] out = new float[5];
            float[] derivative = new float[5];
            float[] inPlace = x.clone();
            float[] outInPlace = new float[5];
            if (gelu) {
                Kernels.geluForward(x, out, derivative, 5);
                Kernels.geluForward(inPlace, outInPlace, inPlace, 5);
            } else {
                Kernels.reluForward(x, out, derivative, 5);
                Kernels.reluForward(inPlace, outInPlace, inPlace, 5);
            }
            assertArrayEquals(out, outInPlace, 0f);
            assertArrayEquals(derivative, inPlace, 0f);
        }
    }

    private static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    @Test
    void fastTanhAgreesWithMathTanhEverywhere() {
        double worst = 0;
        for (float v = -20f; v <= 20f; v += 1e-3f) {
            worst = Math.max(worst, Math.abs(Kernels.tanh(v) - Math.tanh(v)));
        }
        assertTrue(worst < 1e-6, "max |tanh error| " + worst);
        assertEquals(1f, Kernels.tanh(1e9f), 0f);
        assertEquals(0f, Kernels.tanh(0f), 0f);
    }

    @Test
    void reluAndItsBackward() {
        float[] x = {-2, 0, 3};
        float[] out = new float[3];
        float[] derivative = new float[3];
        float[] dx = new float[3];
        Kernels.reluForward(x, out, derivative, 3);
        Kernels.multiply(new float[] {5, 5, 5}, derivative, dx, 3);
        assertArrayEquals(new float[] {0, 0, 3}, out, 0f);
        assertArrayEquals(new float[] {0, 0, 5}, dx, 0f);
    }
}
