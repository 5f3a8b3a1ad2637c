package io.sparklm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sparklm.nn.Parameters;
import io.sparklm.tensor.Rng;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

class ParameterExchangeTest {
    /** A model-like set of tensors of awkward sizes: 13 + 3·7 + 1 = 35 values. */
    private static Parameters parameters(long seed) {
        Parameters p = new Parameters();
        p.add("a", true, 13);
        p.add("b", true, 3, 7);
        p.add("c", false, 1);
        Rng rng = new Rng(seed);
        p.all().forEach(t -> rng.fillNormal(t.value(), 1.0));
        return p;
    }

    private static WorkerReport report(int partition, double tokens) {
        return new WorkerReport(partition, tokens, 2.5 * tokens, 0.1, 6, "sha-" + partition);
    }

    /** Runs the exchange on Spark over the given workers' contributions, fed in the given order. */
    private static List<ParameterExchange.ChunkAverage> exchange(ParameterExchange exchange, List<Parameters> workers,
                                                                 double[] tokens, boolean reversed) {
        List<Tuple2<ParameterExchange.Key, ParameterExchange.Contribution>> all = new ArrayList<>();
        for (int k = 0; k < workers.size(); k++) {
            Iterator<Tuple2<ParameterExchange.Key, ParameterExchange.Contribution>> it =
                    exchange.contributions(report(k, tokens[k]), workers.get(k));
            it.forEachRemaining(all::add);
        }
        if (reversed) {
            Collections.reverse(all);
        }
        JavaPairRDD<ParameterExchange.Key, ParameterExchange.Contribution> rdd =
                SparkTrainerTest.sc().parallelizePairs(all, workers.size());
        return exchange.sum(rdd).collect();
    }

    private static float[] assemble(List<ParameterExchange.ChunkAverage> sums, int chunkSize, int n) {
        float[] out = new float[n];
        for (ParameterExchange.ChunkAverage c : sums) {
            if (c.chunk() >= 0) {
                System.arraycopy(c.average(), 0, out, c.chunk() * chunkSize, c.average().length);
            }
        }
        return out;
    }

    @Test
    void chunkedSumEqualsTheUnchunkedTokenWeightedAverageForEveryChunkSize() {
        List<Parameters> workers = List.of(parameters(1), parameters(2), parameters(3));
        double[] tokens = {768, 1536, 256};
        float[][] flat = {workers.get(0).flatten(), workers.get(1).flatten(), workers.get(2).flatten()};
        float[] expected = new float[35];
        for (int i = 0; i < 35; i++) {
            double s = 0;
            for (int k = 0; k < 3; k++) {
                s += tokens[k] * flat[k][i];
            }
            expected[i] = (float) (s / (768 + 1536 + 256));
        }
        for (int chunkSize : new int[] {1, 6, 7, 34, 35, 1000}) {
            ParameterExchange exchange = new ParameterExchange(chunkSize, 35);
            List<ParameterExchange.ChunkAverage> sums = exchange(exchange, workers, tokens, false);
            assertEquals(exchange.chunks() + 1, sums.size(), "one result per chunk plus the reports");
            assertArrayEquals(expected, assemble(sums, chunkSize, 35), 1e-6f, "chunk size " + chunkSize);
        }
    }

    @Test
    void theOrderContributionsArriveInDoesNotChangeABit() {
        List<Parameters> workers = List.of(parameters(4), parameters(5), parameters(6), parameters(7));
        double[] tokens = {100, 300, 700, 1100};
        ParameterExchange exchange = new ParameterExchange(8, 35);
        float[] forward = assemble(exchange(exchange, workers, tokens, false), 8, 35);
        float[] backward = assemble(exchange(exchange, workers, tokens, true), 8, 35);
        assertArrayEquals(forward, backward, 0f);
    }

    @Test
    void oneWorkersAverageIsItsParametersBitForBitAndReportsComeFirstInPartitionOrder() {
        Parameters only = parameters(8);
        ParameterExchange exchange = new ParameterExchange(10, 35);
        List<ParameterExchange.ChunkAverage> sums = exchange(exchange, List.of(only), new double[] {12 * 64}, false);
        assertArrayEquals(only.flatten(), assemble(sums, 10, 35), 0f);
        assertEquals(ParameterExchange.REPORTS, sums.get(0).chunk());
        assertNull(sums.get(0).average());
        assertEquals(List.of(report(0, 12 * 64)), sums.get(0).reports());

        List<ParameterExchange.ChunkAverage> three = exchange(exchange, List.of(only, parameters(9), parameters(10)),
                new double[] {1, 2, 3}, true);
        assertEquals(List.of(0, 1, 2), three.get(0).reports().stream().map(WorkerReport::partition).toList());
    }

    @Test
    void aWorkersContributionIsItsReportThenEveryChunkOfAtMostChunkSizeValues() {
        Parameters p = parameters(11);
        List<Tuple2<ParameterExchange.Key, ParameterExchange.Contribution>> out = new ArrayList<>();
        new ParameterExchange(16, 35).contributions(report(3, 5), p).forEachRemaining(out::add);
        assertEquals(List.of(-1, 0, 1, 2), out.stream().map(t -> t._1().chunk()).toList());
        assertEquals(List.of(16, 16, 3), out.subList(1, 4).stream().map(t -> t._2().values().length).toList());
        float[] flat = p.flatten();
        float[] last = out.get(3)._2().values();
        assertArrayEquals(java.util.Arrays.copyOfRange(flat, 32, 35), last, 0f);
    }

    /** seeds-digest §11: shards of 3 and 1 tokens with loss sums 1.5 and 2; parameters 0.95 and 0.8 after their steps. */
    @Test
    void globalLossIsTotalLossOverTotalTokensAndParametersAreAveragedByTokens() {
        RoundTotals totals = new RoundTotals(List.of(new WorkerReport(0, 3, 1.5, 1, 4, "a"), new WorkerReport(1, 1, 2, 2, 4, "b")));
        assertEquals(0.875, totals.meanLoss(), 1e-12);
        assertEquals(4, totals.tokens(), 0);
        assertEquals(2, totals.maxComputeSeconds(), 0);

        Parameters shard1 = new Parameters();
        shard1.add("w", true, 1).value().data[0] = 1f - 0.1f * 0.5f;
        Parameters shard2 = new Parameters();
        shard2.add("w", true, 1).value().data[0] = 1f - 0.1f * 2f;
        List<ParameterExchange.ChunkAverage> sums = exchange(new ParameterExchange(4, 1), List.of(shard1, shard2),
                new double[] {3, 1}, false);
        assertEquals(0.9125f, sums.get(1).average()[0], 1e-7f);
    }

    @Test
    void workersAtDifferentStepsAreRefused() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new RoundTotals(List.of(new WorkerReport(0, 3, 1, 1, 4, "a"), new WorkerReport(1, 1, 2, 2, 5, "b"))));
        assertEquals("workers ended at different optimizer steps: 4 and 5", e.getMessage());
    }
}
