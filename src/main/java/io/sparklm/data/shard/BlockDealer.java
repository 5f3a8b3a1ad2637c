package io.sparklm.data.shard;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Deals a split's blocks to N workers as cards are dealt: shuffled, then one to each worker in
 * turn.
 *
 * <p>The shuffle orders the blocks by {@code (SeededHash.of(block, seed), block)}, the blocks'
 * ids compared lexicographically after their {@link SeededHash}; the k-th block of that order
 * (from 0) goes to worker {@code k mod N}, and each worker's blocks are concatenated in that
 * order. The order depends on nothing but the blocks' ids and the seed, so each worker's blocks
 * are a uniform sample of the whole split whatever the files, their order or what each one holds
 * (a corpus sorted by topic included), and the same on every run and every task retry. Each
 * worker gets {@code floor(n / N)} or {@code ceil(n / N)} of the n blocks.
 */
final class BlockDealer {
    private BlockDealer() {
    }

    /** A block and its seeded hash, ordered as the class comment says. */
    private record Card(long hash, int[] block) implements Comparable<Card>, Serializable {
        @Override
        public int compareTo(Card other) {
            int byHash = Long.compare(hash, other.hash);
            return byHash != 0 ? byHash : Arrays.compare(block, other.block);
        }
    }

    /** Sends the block of rank k to partition {@code k mod workers}. */
    private static final class RoundRobin extends Partitioner {
        private final int workers;

        RoundRobin(int workers) {
            this.workers = workers;
        }

        @Override
        public int numPartitions() {
            return workers;
        }

        @Override
        public int getPartition(Object rank) {
            return (int) ((Long) rank % workers);
        }
    }

    /**
     * The {@code blocks}, all of one length, dealt to {@code workers}: exactly {@code workers}
     * elements, one per partition, partition p holding worker p's blocks concatenated
     * ({@code int[0]} when it has none). Not persisted.
     */
    static JavaRDD<int[]> deal(JavaRDD<int[]> blocks, int workers, long seed) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be positive, got " + workers);
        }
        return blocks.map(block -> new Card(SeededHash.of(block, seed), block))
                .sortBy(card -> card, true, Math.max(1, blocks.getNumPartitions()))
                .zipWithIndex()
                .mapToPair(cardAndRank -> new Tuple2<>(cardAndRank._2(), cardAndRank._1().block()))
                .repartitionAndSortWithinPartitions(new RoundRobin(workers))
                .mapPartitions(rankedBlocks -> List.of(concatenate(rankedBlocks)).iterator());
    }

    private static int[] concatenate(Iterator<Tuple2<Long, int[]>> rankedBlocks) {
        List<int[]> blocks = new ArrayList<>();
        rankedBlocks.forEachRemaining(ranked -> blocks.add(ranked._2()));
        return blocks.stream().flatMapToInt(Arrays::stream).toArray();
    }
}
