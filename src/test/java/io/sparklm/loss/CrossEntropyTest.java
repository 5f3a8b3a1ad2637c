package io.sparklm.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.loss.CrossEntropy.Smoothing;
import io.sparklm.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {
    private static final double TOL = 1e-5;
    private static final float FTOL = 1e-5f;
    private static final CrossEntropy PLAIN = new CrossEntropy();

    @Test
    void lossIsMinusLogSoftmaxOfTargetAndGradientIsSoftmaxMinusOneHot() {
        LossResult r = PLAIN.compute(Tensor.matrix(new double[] {2, 1, .1}), new int[] {0});
        assertEquals(0.4170300163, r.mean(), TOL);
        assertEquals(1, r.weight());
        assertArrayEquals(new float[] {-.3409988611f, .2424329707f, .0985658904f}, r.grad().data, FTOL);
        float[] softmax = r.grad().data.clone();
        softmax[0] += 1;
        assertArrayEquals(new float[] {.6590011389f, .2424329707f, .0985658904f}, softmax, FTOL);
    }

    @Test
    void uniformLogitsGiveLogOfClassCount() {
        LossResult r = PLAIN.compute(Tensor.matrix(new double[] {0, 0, 0, 0}), new int[] {2});
        assertEquals(1.3862943611, r.mean(), TOL);
    }

    @Test
    void batchLossIsTheTokenMeanOfPerTokenLosses() {
        double[][] rows = {{2, 1, 0}, {0, 3, 0}, {1, 1, 1}};
        int[] targets = {0, 1, 2};
        double[] perToken = {.4076059644, .0949229564, 1.0986122887};
        for (int i = 0; i < 3; i++) {
            assertEquals(perToken[i], PLAIN.compute(Tensor.matrix(rows[i]), new int[] {targets[i]}).mean(), TOL);
        }
        LossResult batch = PLAIN.compute(Tensor.matrix(rows), targets);
        assertEquals(0.5337137365, batch.mean(), TOL);
        assertEquals(3 * 0.5337137365, batch.sum(), 3 * TOL);
        assertEquals(3, batch.weight());
    }

    @Test
    void uniformOthersSmoothingPutsEpsilonOverKMinusOneOnEachOtherClass() {
        CrossEntropy ce = PLAIN.withLabelSmoothing(.1, Smoothing.UNIFORM_OTHERS);
        LossResult r = ce.compute(Tensor.matrix(new double[] {2, 1, .1, -1}), new int[] {0});
        assertEquals(0.6459796690, r.mean(), TOL);
        assertArrayEquals(new float[] {-.2619336489f, .2013981594f, .0621013698f, -.0015658803f}, r.grad().data, FTOL);
    }

    @Test
    void uniformAllSmoothingMixesOneHotWithUniformOverAllClasses() {
        CrossEntropy ce = PLAIN.withLabelSmoothing(.1, Smoothing.UNIFORM_ALL);
        LossResult r = ce.compute(Tensor.matrix(new double[] {2, 1, .1, -1}), new int[] {0});
        assertEquals(0.5968130024, r.mean(), TOL);
        double[] logSoftmax = {-.4493130024, -1.4493130024, -2.3493130024, -3.4493130024};
        double[] y = {.9 + .025, .025, .025, .025};
        for (int j = 0; j < 4; j++) {
            assertEquals(Math.exp(logSoftmax[j]) - y[j], r.grad().data[j], TOL);
        }
    }

    @Test
    void zeroSmoothingOfEitherKindIsPlainCrossEntropy() {
        Tensor logits = Tensor.matrix(new double[] {2, 1, .1, -1}, new double[] {0, 3, 0, 1});
        int[] targets = {0, 3};
        LossResult plain = PLAIN.compute(logits, targets);
        for (Smoothing kind : Smoothing.values()) {
            LossResult r = PLAIN.withLabelSmoothing(0, kind).compute(logits, targets);
            assertEquals(plain.mean(), r.mean(), 1e-12);
            assertArrayEquals(plain.grad().data, r.grad().data, 0f);
        }
    }

    @Test
    void largeLogitsGiveTheSameSoftmaxAsSmallOnesWithoutOverflow() {
        double[] logSoftmax = {-2.4076059644, -1.4076059644, -.4076059644};
        float[] softmax = {.0900305732f, .2447284711f, .6652409558f};
        for (double shift : new double[] {0, 999}) {
            Tensor logits = Tensor.matrix(new double[] {1 + shift, 2 + shift, 3 + shift});
            for (int target = 0; target < 3; target++) {
                LossResult r = PLAIN.compute(logits, new int[] {target});
                assertEquals(-logSoftmax[target], r.mean(), TOL);
                float[] probabilities = r.grad().data.clone();
                probabilities[target] += 1;
                assertArrayEquals(softmax, probabilities, FTOL);
            }
        }
        LossResult negative = PLAIN.compute(Tensor.matrix(new double[] {-1000, -1000}), new int[] {0});
        assertEquals(Math.log(2), negative.mean(), TOL);
        assertArrayEquals(new float[] {-.5f, .5f}, negative.grad().data, FTOL);
        LossResult extreme = PLAIN.withLabelSmoothing(.1, Smoothing.UNIFORM_ALL)
                .compute(Tensor.matrix(new double[] {1000, 0}), new int[] {1});
        assertTrue(Double.isFinite(extreme.mean()));
        assertEquals(.95 * 1000, extreme.mean(), 1e-3);
        assertArrayEquals(new float[] {.95f, -.95f}, extreme.grad().data, FTOL);
    }

    @Test
    void balancedClassWeightsAreNOverKTimesClassCount() {
        assertArrayEquals(new float[] {.5555556f, 5f}, CrossEntropy.balancedClassWeights(new long[] {90, 10}), 1e-6f);
    }

    @Test
    void classWeightedLossIsNormalisedByTheSumOfTargetWeights() {
        Tensor logits = Tensor.matrix(new double[] {Math.log(.8), Math.log(.2)}, new double[] {Math.log(.9), Math.log(.1)});
        int[] targets = {1, 0};
        CrossEntropy weighted = PLAIN.withClassWeights(CrossEntropy.balancedClassWeights(new long[] {90, 10}));
        LossResult r = weighted.compute(logits, targets);
        assertEquals(1.4590301728, r.mean(), TOL);
        assertEquals(5 + 100.0 / 180, r.weight(), TOL);
        assertEquals(0.8573992140, PLAIN.compute(logits, targets).mean(), TOL);
    }

    @Test
    void maskedTokensAreIgnoredAndTheLossIsAveragedPerCountedToken() {
        // (2 sequences, 3 positions, 3 classes) flattened to 6 rows; mask [[1,1,1],[1,1,0]].
        Tensor logits = Tensor.matrix(
                new double[] {2, 0, 0}, new double[] {0, 2, 0}, new double[] {0, 0, 2},
                new double[] {1, 1, 1}, new double[] {3, 0, 0}, new double[] {9, 9, 9});
        int[] targets = {0, 1, 2, 2, 0, CrossEntropy.DEFAULT_IGNORE_INDEX};
        LossResult r = PLAIN.compute(logits, targets);
        assertEquals(0.3824339088, r.mean(), TOL);
        assertEquals(5, r.weight());
        for (int j = 15; j < 18; j++) {
            assertEquals(0f, r.grad().data[j]);
        }
    }

    @Test
    void ignoredPositionsGetExactlyZeroGradientEvenInAReusedTensor() {
        CrossEntropy ce = PLAIN.withIgnoreIndex(-1).withLabelSmoothing(.2, Smoothing.UNIFORM_OTHERS);
        Tensor logits = Tensor.matrix(new double[] {1, 2, 3}, new double[] {4, -5, 6});
        Tensor dLogits = Tensor.zeros(2, 3);
        dLogits.fill(7f);
        LossResult r = ce.compute(logits, new int[] {-1, 2}, dLogits);
        assertArrayEquals(new float[] {0, 0, 0}, Arrays.copyOfRange(r.grad().data, 0, 3), 0f);
        assertEquals(1, r.weight());
    }

    @Test
    void allIgnoredGivesZeroMeanAndZeroGradient() {
        Tensor dLogits = Tensor.zeros(2, 2);
        dLogits.fill(3f);
        LossResult r = PLAIN.compute(Tensor.matrix(new double[] {1, 2}, new double[] {3, 4}), new int[] {-100, -100}, dLogits);
        assertEquals(0, r.sum());
        assertEquals(0, r.weight());
        assertEquals(0, r.mean());
        assertArrayEquals(new float[4], r.grad().data, 0f);
    }

    @Test
    void gradientMayOverwriteTheLogitsInPlace() {
        CrossEntropy ce = PLAIN.withLabelSmoothing(.1, Smoothing.UNIFORM_ALL);
        Tensor logits = Tensor.matrix(new double[] {2, 1, .1, -1}, new double[] {0, 3, 0, 1}, new double[] {5, 5, 5, 5});
        int[] targets = {0, -100, 3};
        LossResult separate = ce.compute(logits, targets);
        LossResult inPlace = ce.compute(logits, targets, logits);
        assertEquals(separate.sum(), inPlace.sum(), 0);
        assertArrayEquals(separate.grad().data, logits.data, 0f);
    }

    @Test
    void gradientMatchesFiniteDifferencesForUniformOthersWithAnIgnoredPosition() {
        checkGradient(PLAIN.withLabelSmoothing(.15, Smoothing.UNIFORM_OTHERS), Smoothing.UNIFORM_OTHERS, .15, null);
    }

    @Test
    void gradientMatchesFiniteDifferencesForUniformAllWithAnIgnoredPosition() {
        checkGradient(PLAIN.withLabelSmoothing(.15, Smoothing.UNIFORM_ALL), Smoothing.UNIFORM_ALL, .15, null);
    }

    @Test
    void gradientMatchesFiniteDifferencesWithClassWeights() {
        float[] weights = {.5f, 2f, 1f, 3f};
        checkGradient(PLAIN.withClassWeights(weights).withLabelSmoothing(.1, Smoothing.UNIFORM_ALL), Smoothing.UNIFORM_ALL, .1, weights);
    }

    private static void checkGradient(CrossEntropy ce, Smoothing kind, double epsilon, float[] weights) {
        float[] values = {.3f, -1.2f, 2.f, .7f, 1.5f, .1f, -.4f, 0f, -2f, .8f, 1.1f, -.6f};
        int[] targets = {2, -100, 0};
        LossResult r = ce.compute(Tensor.of(values.clone(), 3, 4), targets);
        FiniteDifferences.assertGradient(r.grad().data, FiniteDifferences.toDouble(values),
                z -> referenceLoss(z, 4, targets, kind, epsilon, weights));
        for (int j = 4; j < 8; j++) {
            assertEquals(0f, r.grad().data[j]);
        }
    }

    /** The weighted mean of −Σⱼ yⱼ log softmax(z)ⱼ with y written out from its definition. */
    private static double referenceLoss(double[] z, int classes, int[] targets, Smoothing kind, double epsilon, float[] weights) {
        double sum = 0;
        double weight = 0;
        for (int i = 0; i < targets.length; i++) {
            int t = targets[i];
            if (t == -100) {
                continue;
            }
            double lse = 0;
            for (int j = 0; j < classes; j++) {
                lse += Math.exp(z[i * classes + j]);
            }
            lse = Math.log(lse);
            double row = 0;
            for (int j = 0; j < classes; j++) {
                double y = kind == Smoothing.UNIFORM_OTHERS
                        ? (j == t ? 1 - epsilon : epsilon / (classes - 1))
                        : (j == t ? 1 - epsilon : 0) + epsilon / classes;
                row -= y * (z[i * classes + j] - lse);
            }
            double w = weights == null ? 1 : weights[t];
            sum += w * row;
            weight += w;
        }
        return sum / weight;
    }

    @Test
    void targetsOutsideTheClassRangeAreRejectedByPosition() {
        Tensor logits = Tensor.zeros(2, 3);
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class, () -> PLAIN.compute(logits, new int[] {0, 3}));
        assertTrue(tooLarge.getMessage().contains("targets[1] = 3"), tooLarge.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PLAIN.compute(logits, new int[] {-1, 0}));
        assertThrows(IllegalArgumentException.class, () -> PLAIN.compute(logits, new int[] {0}));
    }

    @Test
    void invalidConfigurationIsRejectedNamingTheArgument() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> PLAIN.withLabelSmoothing(1, Smoothing.UNIFORM_ALL));
        assertTrue(one.getMessage().contains("epsilon") && one.getMessage().contains("1.0"), one.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PLAIN.withLabelSmoothing(-.1, Smoothing.UNIFORM_ALL));
        assertThrows(IllegalArgumentException.class, () -> PLAIN.withLabelSmoothing(Double.NaN, Smoothing.UNIFORM_ALL));
        assertThrows(IllegalArgumentException.class, () -> PLAIN.withIgnoreIndex(0));
        assertThrows(IllegalArgumentException.class, () -> PLAIN.withClassWeights(new float[] {1, -1}));
        assertThrows(IllegalArgumentException.class, () -> CrossEntropy.balancedClassWeights(new long[] {5, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> PLAIN.withClassWeights(new float[] {1, 1}).compute(Tensor.zeros(1, 3), new int[] {0}));
    }
}
