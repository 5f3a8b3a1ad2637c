package io.sparklm.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final Schedule COSINE = Schedule.warmupCosine(6e-4, 10, 110, 6e-5);

    @Test
    void warmupRisesLinearlyFromPeakOverWToThePeakAtStepWMinusOne() {
        assertEquals(6e-5, COSINE.lr(0), 1e-15);
        assertEquals(3e-4, COSINE.lr(4), 1e-15);
        assertEquals(6e-4, COSINE.lr(9), 1e-15);
    }

    @Test
    void cosineDecayStartsAtThePeakPassesTheMidpointAndEndsAtMinLr() {
        assertEquals(6e-4, COSINE.lr(10), 1e-15);
        assertEquals((6e-4 + 6e-5) / 2, COSINE.lr(60), 1e-15);
        assertEquals(6e-5, COSINE.lr(110), 1e-15);
        assertEquals(6e-5, COSINE.lr(1_000_000), 1e-15);
    }

    @Test
    void rateRisesDuringWarmupAndNeverRisesAfter() {
        for (long s = 1; s < 10; s++) {
            assertTrue(COSINE.lr(s) > COSINE.lr(s - 1), "warmup step " + s);
        }
        for (long s = 10; s < 200; s++) {
            assertTrue(COSINE.lr(s) <= COSINE.lr(s - 1), "decay step " + s);
        }
    }

    @Test
    void constantScheduleIsTheSameAtEveryStep() {
        Schedule constant = Schedule.constant(3e-4);
        for (long s : new long[] {0, 1, 10, 1_000_000}) {
            assertEquals(3e-4, constant.lr(s), 0);
        }
        Schedule warmupOnly = new Schedule(1e-3, 4, 0, 0);
        assertEquals(2.5e-4, warmupOnly.lr(0), 1e-15);
        assertEquals(1e-3, warmupOnly.lr(4), 0);
        assertEquals(1e-3, warmupOnly.lr(500), 0);
    }

    @Test
    void invalidSchedulesAreRejectedNamingTheArgument() {
        AdamWTest.assertMessage("totalSteps", () -> Schedule.warmupCosine(1e-3, 10, 10, 0));
        AdamWTest.assertMessage("minLr", () -> Schedule.warmupCosine(1e-3, 0, 10, 2e-3));
        AdamWTest.assertMessage("peakLr", () -> Schedule.constant(-1));
        AdamWTest.assertMessage("warmupSteps", () -> new Schedule(1e-3, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> COSINE.lr(-1));
    }
}
