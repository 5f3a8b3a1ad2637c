package io.sparklm.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetrievalCountsTest {
    @Test
    void ranksOneThreeAndAbsent() {
        RetrievalCounts counts = new RetrievalCounts().add(1).add(3).addAbsent();

        assertEquals(3, counts.count());
        assertEquals(0.4444444444, counts.meanReciprocalRank(), 1e-10);   // (1 + 1/3 + 0) / 3
        assertEquals(1.0 / 3, counts.hitsAt1(), 1e-12);
        assertEquals(2.0 / 3, counts.hitsAt5(), 1e-12);
    }

    @Test
    void shardsAddTheirSums() {
        RetrievalCounts shard1 = new RetrievalCounts().add(1);
        RetrievalCounts shard2 = new RetrievalCounts().add(5).add(6).addAbsent();

        RetrievalCounts all = shard1.plus(shard2);

        assertEquals(4, all.count());
        assertEquals((1 + 1.0 / 5 + 1.0 / 6) / 4, all.meanReciprocalRank(), 1e-12);
        assertEquals(0.25, all.hitsAt1(), 1e-12);
        assertEquals(0.5, all.hitsAt5(), 1e-12);   // rank 5 counts, rank 6 does not
        assertEquals(1, shard1.count());   // operands unchanged
    }

    @Test
    void noQueriesScoreZeroAndRanksAreOneBased() {
        assertEquals(0.0, new RetrievalCounts().meanReciprocalRank());
        assertThrows(IllegalArgumentException.class, () -> new RetrievalCounts().add(0));
    }
}
