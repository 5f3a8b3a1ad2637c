package io.sparklm.metrics;

import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RocAucCountsTest {
    @Test
    void threeOfFourPositiveNegativePairsAreOrderedRight() {
        RocAucCounts counts = new RocAucCounts().add(0.1, 0).add(0.4, 0).add(0.35, 1).add(0.8, 1);

        assertEquals(0.75, counts.auc(), 1e-12);   // .35 loses to .4; the other three pairs win
    }

    @Test
    void tiesCountHalf() {
        RocAucCounts counts = new RocAucCounts().add(0.5, 0).add(0.5, 1).add(0.9, 1);

        assertEquals((0.5 + 1) / 2, counts.auc(), 1e-12);
        assertEquals(0.5, new RocAucCounts().add(0.3, 0).add(0.7, 0).add(0.3, 1).add(0.7, 1).auc(), 1e-12);
    }

    @Test
    void equalsTheDirectPairwiseAreaOfBinnedScoresOnRandomData() {
        Random random = new Random(15);
        int bins = RocAucCounts.DEFAULT_BINS;
        int n = 3000;
        double[] scores = new double[n];
        int[] labels = new int[n];
        RocAucCounts shard1 = new RocAucCounts();
        RocAucCounts shard2 = new RocAucCounts();
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(4) == 0 ? 1 : 0;
            // positives score higher on average; every 10th score is rounded to 0.001 to force ties
            double score = Math.min(1, Math.max(0, 0.4 + 0.15 * labels[i] + 0.2 * random.nextGaussian()));
            scores[i] = i % 10 == 0 ? Math.round(score * 1000) / 1000.0 : score;
            (i < n / 3 ? shard1 : shard2).add(scores[i], labels[i]);
        }

        long twiceWins = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (labels[i] == 1 && labels[j] == 0) {
                    int positiveBin = (int) Math.min(bins - 1, Math.floor(scores[i] * bins));
                    int negativeBin = (int) Math.min(bins - 1, Math.floor(scores[j] * bins));
                    twiceWins += positiveBin > negativeBin ? 2 : positiveBin == negativeBin ? 1 : 0;
                    pairs++;
                }
            }
        }
        RocAucCounts counts = shard1.plus(shard2);

        assertEquals(pairs, counts.positives() * counts.negatives());
        assertEquals(twiceWins / (2.0 * pairs), counts.auc(), 1e-15);
        assertTrue(counts.auc() > 0.65 && counts.auc() < 0.8, "AUC " + counts.auc());
    }

    @Test
    void scoresInOneBinTieAtTheResolutionOfOneOverBins() {
        RocAucCounts coarse = new RocAucCounts(10).add(0.51, 0).add(0.59, 1);
        RocAucCounts fine = new RocAucCounts().add(0.51, 0).add(0.59, 1);

        assertEquals(0.5, coarse.auc());   // both in bin [.5, .6)
        assertEquals(1.0, fine.auc());
        assertEquals(1.0, new RocAucCounts(10).add(0.0, 0).add(1.0, 1).auc());   // 1.0 falls in the top bin
    }

    @Test
    void areaIsUndefinedWithoutBothClasses() {
        assertTrue(Double.isNaN(new RocAucCounts().add(0.2, 1).add(0.9, 1).auc()));
        assertTrue(Double.isNaN(new RocAucCounts().auc()));
    }

    @Test
    void scoresOutsideTheUnitIntervalLabelsOtherThanZeroOneAndMismatchedBinsAreRejected() {
        RocAucCounts counts = new RocAucCounts();

        assertThrows(IllegalArgumentException.class, () -> counts.add(1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> counts.add(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> counts.add(0.5, 2));
        assertThrows(IllegalArgumentException.class, () -> counts.plus(new RocAucCounts(10)));
    }
}
