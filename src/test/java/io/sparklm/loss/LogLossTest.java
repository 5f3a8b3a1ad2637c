package io.sparklm.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LogLossTest {
    private static final double TOL = 1e-5;

    @Test
    void binaryLossOfSingleItemsIsMinusLogOfTheTrueClassProbability() {
        assertEquals(0.1053605157, LogLoss.binary(new float[] {.9f}, new float[] {1}).mean(), TOL);
        assertEquals(0.5108256238, LogLoss.binary(new float[] {.6f}, new float[] {1}).mean(), TOL);
        assertEquals(0.9162907319, LogLoss.binary(new float[] {.4f}, new float[] {1}).mean(), TOL);
        assertEquals(2.3025850930, LogLoss.binary(new float[] {.1f}, new float[] {1}).mean(), TOL);
        assertEquals(2.3025850930, LogLoss.binary(new float[] {.9f}, new float[] {0}).mean(), TOL);
    }

    @Test
    void lessProbabilityOnTheTrueClassCostsMore() {
        double confident = LogLoss.binary(new float[] {.9f}, new float[] {1}).mean();
        double hesitant = LogLoss.binary(new float[] {.6f}, new float[] {1}).mean();
        assertTrue(hesitant > confident);
    }

    @Test
    void binaryBatchLossIsTheMeanOverItems() {
        LossResult r = LogLoss.binary(new float[] {.9f, .2f, .6f, .4f}, new float[] {1, 0, 1, 0});
        assertEquals(0.3375388286, r.mean(), TOL);
        assertEquals(4, r.weight());
    }

    @Test
    void multiClassLossIsTheMeanOfMinusLogTrueClassProbability() {
        Tensor p = Tensor.matrix(new double[] {.7, .2, .1}, new double[] {.1, .8, .1}, new double[] {.3, .3, .4});
        Tensor y = Tensor.matrix(new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, 1});
        assertEquals(0.4987030757, LogLoss.multiClass(p, y).mean(), TOL);
    }

    @Test
    void binaryEqualsMultiClassWithTwoColumns() {
        float[] p = {.9f, .2f, .6f, .4f};
        float[] y = {1, 0, 1, 0};
        Tensor p2 = Tensor.zeros(4, 2);
        Tensor y2 = Tensor.zeros(4, 2);
        for (int i = 0; i < 4; i++) {
            p2.set(p[i], i, 0);
            p2.set(1 - p[i], i, 1);
            y2.set(y[i], i, 0);
            y2.set(1 - y[i], i, 1);
        }
        assertEquals(LogLoss.binary(p, y).mean(), LogLoss.multiClass(p2, y2).mean(), 1e-7);
    }

    @Test
    void certainCorrectPredictionCostsNothingAndCertainWrongOneIsFinite() {
        LossResult right = LogLoss.binary(new float[] {1, 0}, new float[] {1, 0});
        assertEquals(0, right.mean(), 1e-11);
        assertArrayEquals(new float[] {0, 0}, right.grad().data, 0f);
        LossResult wrong = LogLoss.binary(new float[] {0}, new float[] {1});
        assertEquals(-Math.log(1e-12), wrong.mean(), 1e-9);
    }

    @Test
    void binaryGradientMatchesFiniteDifferences() {
        float[] p = {.9f, .2f, .6f, .4f, .35f};
        float[] y = {1, 0, 1, 0, .3f};
        LossResult r = LogLoss.binary(p, y);
        FiniteDifferences.assertGradient(r.grad().data, FiniteDifferences.toDouble(p), x -> {
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                sum -= y[i] * Math.log(x[i]) + (1 - y[i]) * Math.log(1 - x[i]);
            }
            return sum / x.length;
        });
    }

    @Test
    void multiClassGradientMatchesFiniteDifferences() {
        float[] p = {.7f, .2f, .1f, .1f, .8f, .1f};
        float[] y = {1, 0, 0, .1f, .6f, .3f};
        LossResult r = LogLoss.multiClass(Tensor.of(p.clone(), 2, 3), Tensor.of(y, 2, 3));
        FiniteDifferences.assertGradient(r.grad().data, FiniteDifferences.toDouble(p), x -> {
            double sum = 0;
            for (int k = 0; k < x.length; k++) {
                sum -= y[k] * Math.log(x[k]);
            }
            return sum / 2;
        });
    }

    @Test
    void probabilitiesOutsideTheUnitIntervalAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogLoss.binary(new float[] {.5f, 1.5f}, new float[] {1, 1}));
        assertTrue(e.getMessage().contains("p[1]") && e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogLoss.binary(new float[] {.5f}, new float[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> LogLoss.binary(new float[] {Float.NaN}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> LogLoss.binary(new float[0], new float[0]));
    }
}
