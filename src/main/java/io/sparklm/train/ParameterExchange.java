package io.sparklm.train;

import io.sparklm.nn.Parameters;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The round's reduce-scatter of worker parameters through Spark's shuffle. Worker k emits its
 * θₖ (float, 4 bytes a parameter) in fixed-size chunks keyed (chunk, k), with its token count nₖ;
 * the shuffle sends chunk c of every worker to reduce partition c + 1, sorted by worker, where
 * θ̄_c = Σₖ nₖ·θₖ,c / Σₖ nₖ is summed in double in worker order and sent on as float. Worker
 * reports (loss, tokens, step, state checksum) travel under chunk −1 to partition 0. The driver
 * reads the sums one partition at a time ({@link JavaRDD#toLocalIterator()}), so no task result,
 * partial sum or driver-side buffer is larger than a chunk or grows with the number of workers.
 *
 * <p>nₖ·θₖ is exact in double for float θ and integer nₖ &lt; 2²⁹, so one worker's average is
 * its own parameters bit for bit; summing in worker order makes the result independent of the
 * order shuffle blocks arrive in.
 */
final class ParameterExchange implements Serializable {
    /** The chunk index under which worker reports travel. */
    static final int REPORTS = -1;

    /** Where a contribution goes: chunk (−1 for the report) and the worker that sent it. */
    record Key(int chunk, int partition) implements Serializable {
    }

    /** One worker's chunk of θₖ with its weight nₖ, or (chunk −1) its report. */
    record Contribution(double tokens, float[] values, WorkerReport report) implements Serializable {
    }

    /** One reduce partition's result: θ̄ over a chunk, or (chunk −1) every worker's report in partition order. */
    record ChunkAverage(int chunk, float[] average, List<WorkerReport> reports) implements Serializable {
    }

    private final int chunkSize;
    private final long parameterCount;

    /**
     * @param chunkSize      parameters per chunk (a chunk is chunkSize × 4 bytes on the wire)
     * @param parameterCount the model's parameter count
     */
    ParameterExchange(int chunkSize, long parameterCount) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("train.exchangeChunk must be positive, got " + chunkSize);
        }
        this.chunkSize = chunkSize;
        this.parameterCount = parameterCount;
    }

    int chunkSize() {
        return chunkSize;
    }

    int chunks() {
        return Math.toIntExact((parameterCount + chunkSize - 1) / chunkSize);
    }

    /** A worker's output: its report, then its parameters chunk by chunk, each copied when the shuffle asks for it. */
    Iterator<Tuple2<Key, Contribution>> contributions(WorkerReport report, Parameters parameters) {
        int chunks = chunks();
        int partition = report.partition();
        return new Iterator<>() {
            private int next = REPORTS;

            @Override
            public boolean hasNext() {
                return next < chunks;
            }

            @Override
            public Tuple2<Key, Contribution> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int c = next++;
                if (c == REPORTS) {
                    return new Tuple2<>(new Key(c, partition), new Contribution(report.tokens(), null, report));
                }
                long from = (long) c * chunkSize;
                float[] values = new float[(int) Math.min(chunkSize, parameterCount - from)];
                parameters.copyValues(from, values);
                return new Tuple2<>(new Key(c, partition), new Contribution(report.tokens(), values, null));
            }
        };
    }

    /** Shuffles the workers' contributions and sums them per chunk: partition 0 the reports, partition c + 1 chunk c. */
    JavaRDD<ChunkAverage> sum(JavaPairRDD<Key, Contribution> contributions) {
        return contributions.repartitionAndSortWithinPartitions(new ChunkPartitioner(chunks() + 1), new WorkerOrder())
                .mapPartitions(ParameterExchange::reduce, true);
    }

    /** Sums one reduce partition's records, sorted by (chunk, worker). */
    private static Iterator<ChunkAverage> reduce(Iterator<Tuple2<Key, Contribution>> sorted) {
        List<ChunkAverage> out = new ArrayList<>(1);
        int chunk = Integer.MIN_VALUE;
        double tokens = 0;
        double[] sum = null;
        List<WorkerReport> reports = new ArrayList<>();
        while (sorted.hasNext()) {
            Tuple2<Key, Contribution> record = sorted.next();
            if (record._1().chunk() != chunk) {
                flush(out, chunk, tokens, sum, reports);
                chunk = record._1().chunk();
                tokens = 0;
                sum = null;
                reports = new ArrayList<>();
            }
            Contribution c = record._2();
            if (c.report() != null) {
                reports.add(c.report());
                continue;
            }
            if (sum == null) {
                sum = new double[c.values().length];
            }
            double weight = c.tokens();
            float[] v = c.values();
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i] * weight;
            }
            tokens += weight;
        }
        flush(out, chunk, tokens, sum, reports);
        return out.iterator();
    }

    private static void flush(List<ChunkAverage> out, int chunk, double tokens, double[] sum, List<WorkerReport> reports) {
        if (chunk == Integer.MIN_VALUE) {
            return;
        }
        if (chunk == REPORTS) {
            out.add(new ChunkAverage(chunk, null, reports));
            return;
        }
        if (!(tokens > 0)) {
            throw new IllegalStateException("chunk " + chunk + " has no tokens to weigh its average by");
        }
        float[] average = new float[sum.length];
        for (int i = 0; i < average.length; i++) {
            average[i] = (float) (sum[i] / tokens);
        }
        out.add(new ChunkAverage(chunk, average, null));
    }

    /** Chunk c → reduce partition c + 1 (reports, chunk −1, → 0). */
    private static final class ChunkPartitioner extends Partitioner {
        private final int partitions;

        ChunkPartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return ((Key) key).chunk() + 1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ChunkPartitioner p && p.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }

    /** Orders a reduce partition's records by chunk, then by worker. */
    private static final class WorkerOrder implements Comparator<Key>, Serializable {
        @Override
        public int compare(Key a, Key b) {
            int byChunk = Integer.compare(a.chunk(), b.chunk());
            return byChunk != 0 ? byChunk : Integer.compare(a.partition(), b.partition());
        }
    }
}
