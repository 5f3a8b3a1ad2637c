package io.sparklm.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.loss.InfoNce.Similarity;
import io.sparklm.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class InfoNceTest {
    private static final double TOL = 1e-6;
    private static final InfoNce DOT = new InfoNce(Similarity.DOT);
    private static final InfoNce COSINE = new InfoNce(Similarity.COSINE);
    private static final Tensor IDENTITY = Tensor.matrix(new double[] {1, 0}, new double[] {0, 1});

    private static final int N = 3;
    private static final int D = 4;
    private static final float[] A = {.3f, -1.2f, .8f, .5f, 1.1f, .4f, -.7f, .2f, -.5f, .9f, .6f, -1.f};
    private static final float[] B = {.7f, -.4f, 1.3f, .1f, .2f, 1.f, -.3f, .6f, -.9f, .3f, .4f, -.8f};
    private static final double LOG_TEMPERATURE = Math.log(.7);

    @Test
    void identicalOrthonormalPairsGiveTheDigestSumsAtTwoTemperatures() {
        InfoNce.Result warm = DOT.compute(IDENTITY, IDENTITY, Math.log(1));
        assertEquals(0.6265233750, warm.sum(), TOL);
        assertEquals(0.6265233750 / 2, warm.mean(), TOL);
        assertEquals(2, warm.weight());
        assertEquals(Math.log1p(Math.exp(-1)), warm.sumAToB() / 2, TOL);
        assertEquals(0.2538560221, DOT.compute(IDENTITY, IDENTITY, Math.log(.5)).sum(), TOL);
    }

    @Test
    void theTwoDirectionsScoreRowsAndColumnsOfTheSimilarityMatrix() {
        Tensor b = Tensor.matrix(new double[] {.6, .8}, new double[] {1, 0});
        InfoNce.Result r = DOT.compute(IDENTITY, b, 0);
        assertEquals(2.0841159183, r.sumAToB(), TOL);
        assertEquals(2.1114005569, r.sumBToA(), TOL);
        assertEquals(2.0977582376, r.sum(), TOL);
        assertEquals(2.0977582376 / 2, r.mean(), TOL);
    }

    @Test
    void aSinglePairHasNoNegativesSoZeroLossAndZeroGradient() {
        Tensor a = Tensor.matrix(new double[] {.3, -2, 1});
        Tensor b = Tensor.matrix(new double[] {4, .5, -1});
        for (InfoNce loss : new InfoNce[] {DOT, COSINE}) {
            InfoNce.Result r = loss.compute(a, b, Math.log(.07));
            assertEquals(0, r.sum(), 0);
            assertEquals(1, r.weight());
            assertArrayEquals(new float[3], r.gradA().data, 0f);
            assertArrayEquals(new float[3], r.gradB().data, 0f);
            assertEquals(0, r.gradLogTemperature(), 0);
        }
    }

    @Test
    void dotProductGradientsMatchFiniteDifferences() {
        assertGradientsMatch(Similarity.DOT, N);
    }

    @Test
    void cosineGradientsMatchFiniteDifferencesThroughTheNormalisation() {
        assertGradientsMatch(Similarity.COSINE, N);
    }

    @Test
    void gradientsOfAPartAreThoseOfTheSumOverTheWholeBatchsNormaliser() {
        assertGradientsMatch(Similarity.DOT, 10);
        assertGradientsMatch(Similarity.COSINE, 10);
    }

    @Test
    void aGradientOffByOnePercentFailsTheFiniteDifferenceCheck() {
        for (Similarity similarity : Similarity.values()) {
            InfoNce.Result r = new InfoNce(similarity).compute(Tensor.of(A.clone(), N, D), Tensor.of(B.clone(), N, D), LOG_TEMPERATURE);
            float[] exact = gradient(r);
            FiniteDifferences.assertGradient(exact, point(), x -> referenceLoss(similarity, x, N));
            float[] temperatureOff = exact.clone();
            temperatureOff[2 * N * D] *= 1.01f;
            float[] gradAOff = exact.clone();
            for (int k = 0; k < N * D; k++) {
                gradAOff[k] *= 1.01f;
            }
            for (float[] broken : new float[][] {temperatureOff, gradAOff}) {
                assertThrows(AssertionFailedError.class,
                        () -> FiniteDifferences.assertGradient(broken, point(), x -> referenceLoss(similarity, x, N)));
            }
        }
    }

    @Test
    void cosineIgnoresEmbeddingLengthsAndItsGradientIsOrthogonalToEachEmbedding() {
        float[] longer = A.clone();
        for (int k = 0; k < D; k++) {
            longer[k] *= 5f;
        }
        InfoNce.Result r = COSINE.compute(Tensor.of(A.clone(), N, D), Tensor.of(B.clone(), N, D), LOG_TEMPERATURE);
        InfoNce.Result scaled = COSINE.compute(Tensor.of(longer, N, D), Tensor.of(B.clone(), N, D), LOG_TEMPERATURE);
        assertEquals(r.sum(), scaled.sum(), 1e-5);
        for (int i = 0; i < N; i++) {
            double along = 0;
            for (int k = i * D; k < (i + 1) * D; k++) {
                along += A[k] * r.gradA().data[k];
            }
            assertEquals(0, along, 1e-6, "a row " + i + " · ∂L/∂a row " + i);
        }
    }

    @Test
    void largeSimilaritiesOverASmallTemperatureStayFinite() {
        Tensor a = Tensor.matrix(new double[] {100, 0}, new double[] {0, 100});
        Tensor b = Tensor.matrix(new double[] {100, 0}, new double[] {100, 1});
        InfoNce.Result r = DOT.compute(a, b, Math.log(.01));
        assertTrue(Double.isFinite(r.sum()) && Double.isFinite(r.gradLogTemperature()), "sum " + r.sum());
        // s = [[1e6, 1e6], [0, 1e4]]: row terms log 2 and 0, column terms 0 and 1e6 − 1e4.
        assertEquals((Math.log(2) + 990000) / 4, r.mean(), 1e-6);
        for (float g : r.gradA().data) {
            assertTrue(Float.isFinite(g));
        }
    }

    @Test
    void similaritiesAreDotProductsOrCosinesOfEveryPairOfRows() {
        Tensor a = Tensor.matrix(new double[] {3, 4}, new double[] {1, 0});
        Tensor b = Tensor.matrix(new double[] {0, 2}, new double[] {-1, 1}, new double[] {6, 8});
        double[][] dot = {{8, 1, 50}, {0, -1, 6}};
        double[][] cosine = {{0.8, 0.1 * Math.sqrt(2), 1}, {0, -Math.sqrt(0.5), 0.6}};
        float[] d = DOT.similarities(a, b);
        float[] c = COSINE.similarities(a, b);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(dot[i][j], d[i * 3 + j], 1e-5, "dot " + i + "," + j);
                assertEquals(cosine[i][j], c[i * 3 + j], 1e-6, "cosine " + i + "," + j);
            }
        }
    }

    @Test
    void invalidInputsAreRejectedNamingTheArgument() {
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> DOT.compute(IDENTITY, Tensor.zeros(2, 3), 0));
        assertTrue(shapes.getMessage().contains("same shape"), shapes.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> COSINE.compute(IDENTITY, Tensor.matrix(new double[] {1, 0}, new double[] {0, 0}), 0));
        assertTrue(zero.getMessage().contains("b row 1"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DOT.compute(IDENTITY, IDENTITY, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> DOT.compute(IDENTITY, IDENTITY, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new InfoNce(null));
    }

    /** Checks ∂/∂a, ∂/∂b and ∂/∂log τ of sum / W against the reference formula. */
    private static void assertGradientsMatch(Similarity similarity, double normaliser) {
        InfoNce.Result r = new InfoNce(similarity).compute(Tensor.of(A.clone(), N, D), Tensor.of(B.clone(), N, D),
                LOG_TEMPERATURE, normaliser);
        assertEquals(referenceLoss(similarity, point(), 1), r.sum(), 1e-5);
        FiniteDifferences.assertGradient(gradient(r), point(), x -> referenceLoss(similarity, x, normaliser));
    }

    /** (a, b, log τ) as one vector. */
    private static double[] point() {
        double[] x = new double[2 * N * D + 1];
        for (int k = 0; k < N * D; k++) {
            x[k] = A[k];
            x[N * D + k] = B[k];
        }
        x[2 * N * D] = LOG_TEMPERATURE;
        return x;
    }

    /** (∂a, ∂b, ∂log τ) as one vector, in the order of {@link #point()}. */
    private static float[] gradient(InfoNce.Result r) {
        float[] g = new float[2 * N * D + 1];
        System.arraycopy(r.gradA().data, 0, g, 0, N * D);
        System.arraycopy(r.gradB().data, 0, g, N * D, N * D);
        g[2 * N * D] = (float) r.gradLogTemperature();
        return g;
    }

    /** ½ (Σᵢ ℓᵢ^{a→b} + Σⱼ ℓⱼ^{b→a}) / W written out from the definition, in double. */
    private static double referenceLoss(Similarity similarity, double[] x, double normaliser) {
        double tau = Math.exp(x[2 * N * D]);
        double[][] s = new double[N][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double dot = 0;
                double aa = 0;
                double bb = 0;
                for (int k = 0; k < D; k++) {
                    double ai = x[i * D + k];
                    double bj = x[N * D + j * D + k];
                    dot += ai * bj;
                    aa += ai * ai;
                    bb += bj * bj;
                }
                s[i][j] = (similarity == Similarity.COSINE ? dot / Math.sqrt(aa * bb) : dot) / tau;
            }
        }
        double sum = 0;
        for (int i = 0; i < N; i++) {
            double rowExp = 0;
            double columnExp = 0;
            for (int j = 0; j < N; j++) {
                rowExp += Math.exp(s[i][j]);
                columnExp += Math.exp(s[j][i]);
            }
            sum += 0.5 * (Math.log(rowExp) - s[i][i]) + 0.5 * (Math.log(columnExp) - s[i][i]);
        }
        return sum / normaliser;
    }
}
