package io.sparklm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LocalStepScheduleTest {
    private static int[] steps(LocalStepSchedule schedule) {
        return IntStream.rangeClosed(1, schedule.rounds()).map(schedule::steps).toArray();
    }

    @Test
    void withoutSyncStepsOrGrowthEveryRoundTakesTheLocalSteps() {
        assertArrayEquals(new int[] {50, 50, 50, 50}, steps(LocalStepSchedule.constant(4, 50)));
        assertEquals("H = 50 every round", LocalStepSchedule.constant(4, 50).describe());
    }

    @Test
    void syncStepsTakeOneStepARoundAndTheOtherRoundsShareTheRestOfTheSteps() {
        // T = 4·10 = 40: rounds 1 and 2 take 1 step, rounds 3 and 4 share 38
        assertArrayEquals(new int[] {1, 1, 19, 19}, steps(new LocalStepSchedule(4, 10, 2, 1)));
    }

    @Test
    void growthMakesTheLastLocalRoundRhoTimesTheFirstAndKeepsTheTotal() {
        // T = 40 over 4 rounds, ρ = 3: weights 1, 5/3, 7/3, 3 of 8, so 5, 8.33, 11.67, 15
        assertArrayEquals(new int[] {5, 8, 12, 15}, steps(new LocalStepSchedule(4, 10, 0, 3)));
        // the quickstart-sized run: 32 rounds of 1,600 steps, 4 synchronous, ρ = 4
        LocalStepSchedule run = new LocalStepSchedule(32, 50, 4, 4);
        int[] h = steps(run);
        assertEquals(1600, IntStream.of(h).sum());
        assertEquals(1, h[3]);
        assertEquals(4.0, (double) h[31] / h[4], 0.3);
        for (int r = 5; r < 32; r++) {
            assertTrue(h[r] >= h[r - 1], "H grows: round " + (r + 1));
        }
    }

    @Test
    void growthUnderOneShortensTheRoundsInstead() {
        // T = 40 over 4 rounds, ρ = 1/3: weights 1, 7/9, 5/9, 1/3 of 8/3, so 15, 11.67, 8.33, 5
        assertArrayEquals(new int[] {15, 11, 9, 5}, steps(new LocalStepSchedule(4, 10, 0, 1 / 3.0)));
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LocalStepSchedule(4, 10, 4, 1))
                .getMessage().startsWith("train.syncSteps must be in [0, train.rounds = 4)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LocalStepSchedule(4, 10, 0, 0))
                .getMessage().startsWith("train.localStepsGrowth must be finite and positive"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LocalStepSchedule(10, 1, 0, 1 / 3.0))
                .getMessage().startsWith("train.localStepsGrowth = 0.3333333333333333 leaves the last local round 0.50 steps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LocalStepSchedule(10, 1, 0, 3))
                .getMessage().startsWith("train.localStepsGrowth = 3.0 leaves the first local round 0.50 steps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LocalStepSchedule(4, 0, 0, 1))
                .getMessage().startsWith("train.localSteps must be positive"));
    }
}
