package io.sparklm.data.shard;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitTest {
    @Test
    void aTenthOfManyDocumentsGoesToValidation() {
        long val = IntStream.range(0, 100_000).filter(i -> Split.of("corpus.txt:" + i, 7, 0.1) == Split.VAL).count();
        assertEquals(10_000, val, 300);
    }

    @Test
    void theSplitDependsOnlyOnTheIdAndSeed() {
        for (int i = 0; i < 1000; i++) {
            String id = "hdfs://nn/corpus/part-0:" + i;
            assertEquals(Split.of(id, 1, 0.3), Split.of(id, 1, 0.3));
            assertEquals(Split.uniform(id, 1) < 0.3 ? Split.VAL : Split.TRAIN, Split.of(id, 1, 0.3));
        }
    }

    @Test
    void anotherSeedGivesAnotherSplit() {
        long differ = IntStream.range(0, 1000)
                .filter(i -> Split.of("a.txt:" + i, 1, 0.5) != Split.of("a.txt:" + i, 2, 0.5)).count();
        assertEquals(500, differ, 60);
    }

    @Test
    void uniformIsInTheUnitIntervalAndFractionZeroMeansNoValidation() {
        for (int i = 0; i < 1000; i++) {
            double u = Split.uniform("x" + i, -i);
            assertTrue(u >= 0 && u < 1);
            assertEquals(Split.TRAIN, Split.of("x" + i, -i, 0));
        }
        assertNotEquals(Split.uniform("x", 0), Split.uniform("y", 0));
    }

    @Test
    void dirNamesAreLowerCase() {
        assertEquals("train", Split.TRAIN.dirName());
        assertEquals("val", Split.VAL.dirName());
    }
}
