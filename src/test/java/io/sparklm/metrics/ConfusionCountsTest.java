package io.sparklm.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfusionCountsTest {
    private static final int[] Y_TRUE = {1, 1, 1, 1, 0, 0, 0, 0, 1, 0};
    private static final int[] Y_PRED = {1, 1, 0, 1, 0, 1, 0, 0, 0, 0};

    private static ConfusionCounts counts(int from, int to) {
        ConfusionCounts counts = new ConfusionCounts(2);
        for (int i = from; i < to; i++) {
            counts.add(Y_TRUE[i], Y_PRED[i]);
        }
        return counts;
    }

    @Test
    void binaryFiguresOfThePositiveClassAndMacroF1() {
        ConfusionCounts counts = counts(0, 10);

        assertEquals(0.7, counts.accuracy(), 1e-12);
        assertEquals(0.75, counts.precision(1), 1e-12);        // TP 3, FP 1
        assertEquals(0.6, counts.recall(1), 1e-12);            // TP 3, FN 2
        assertEquals(0.6666666667, counts.f1(1), 1e-10);
        assertEquals(4.0 / 6, counts.precision(0), 1e-12);     // TP 4, FP 2
        assertEquals(0.8, counts.recall(0), 1e-12);            // TP 4, FN 1
        assertEquals(16.0 / 22, counts.f1(0), 1e-12);
        assertEquals(0.6969696970, counts.macroF1(), 1e-10);   // (16/22 + 2/3) / 2
    }

    @Test
    void countsSummedOverTwoShardsGiveTheSameFiguresAsOneShard() {
        ConfusionCounts whole = counts(0, 10);
        ConfusionCounts shard1 = counts(0, 4);
        ConfusionCounts shard2 = counts(4, 10);

        ConfusionCounts sum = shard1.plus(shard2);

        assertEquals(whole.matrixText(), sum.matrixText());
        assertEquals(whole.accuracy(), sum.accuracy());
        assertEquals(whole.macroF1(), sum.macroF1());
        assertEquals(4, shard1.total());   // operands unchanged
        assertEquals(6, shard2.total());
        // the mean of the shards' accuracies, (3/4 + 4/6) / 2 = .7083, is not the accuracy .7
        assertEquals(0.75, shard1.accuracy());
        assertEquals(4.0 / 6, shard2.accuracy(), 1e-12);
    }

    @Test
    void zeroOverZeroIsZero() {
        ConfusionCounts counts = new ConfusionCounts(3).add(0, 0).add(1, 0);

        assertEquals(0, counts.precision(2));   // nothing predicted 2
        assertEquals(0, counts.recall(2));      // nothing of class 2
        assertEquals(0, counts.f1(2));
        assertEquals(0, counts.precision(1));   // nothing predicted 1 (TP 0, FP 0)
        assertEquals(0, counts.f1(1));          // TP 0, FN 1
        assertEquals(0, new ConfusionCounts(2).accuracy());
        assertEquals((2.0 / 3 + 0 + 0) / 3, counts.macroF1(), 1e-12);
    }

    @Test
    void matrixTextHasTrueClassesAsRowsAndPredictedClassesAsColumns() {
        assertEquals("""
                true\\pred  0  1
                        0  4  1
                        1  2  3
                """, counts(0, 10).matrixText());
        assertEquals("""
                true\\pred    0    1    2
                        0  120    0    0
                        1    0    0    0
                        2    0    1    0
                """, repeat(new ConfusionCounts(3), 0, 0, 120).add(2, 1).matrixText());
    }

    @Test
    void labelsOutsideTheClassesAndMismatchedShardsAreRejected() {
        ConfusionCounts counts = new ConfusionCounts(2);

        assertThrows(IllegalArgumentException.class, () -> counts.add(2, 0));
        assertThrows(IllegalArgumentException.class, () -> counts.add(0, -1));
        assertThrows(IllegalArgumentException.class, () -> counts.plus(new ConfusionCounts(3)));
        assertThrows(IllegalArgumentException.class, () -> new ConfusionCounts(1));
    }

    private static ConfusionCounts repeat(ConfusionCounts counts, int trueLabel, int predicted, int times) {
        for (int i = 0; i < times; i++) {
            counts.add(trueLabel, predicted);
        }
        return counts;
    }
}
