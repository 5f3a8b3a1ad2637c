package io.sparklm.cli;

import io.sparklm.data.corpus.CorpusReader;
import io.sparklm.data.corpus.EmbeddedTable;
import io.sparklm.data.corpus.Example;
import io.sparklm.data.corpus.RecordReader;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * The prompts the RLHF commands sample from: the {@code data.promptField} of a JSONL or Parquet
 * table at {@code data.input} (or of an embedded table such as {@code europarl-prompts}), records
 * [data.skipPrompts, data.skipPrompts + data.maxPrompts) in the table's order, so two commands can
 * take disjoint ranges (preference pairs, then held-out prompts). Prompts are spread over the
 * partitions by their index and kept in index order within each, so every run (and a retried
 * task) sees each prompt at the same place and samples it from the same seed; a plain
 * repartition would leave the order within a partition to the shuffle's fetch order.
 */
final class PromptSource {
    private PromptSource() {
    }

    static Map<String, String> defaults() {
        return Map.of("data.input", "europarl-prompts", "data.format", "jsonl", "data.promptField", "prompt",
                "data.skipPrompts", "0", "data.maxPrompts", "1000");
    }

    static JavaRDD<String> read(SparkSession spark, Options o, String scratch) throws IOException {
        String input = o.string("data.input");
        EmbeddedTable table = EmbeddedTable.named(input);
        String uri = table == null ? input : TokenizeCommand.writeTable(spark, scratch, table);
        CorpusReader.Format format = table == null ? CorpusReader.Format.of(o.string("data.format")) : CorpusReader.Format.JSONL;
        JavaRDD<Example> records = new RecordReader(format, List.of(o.string("data.promptField")), false).read(spark, uri).examples();
        long skip = o.integerAtLeast("data.skipPrompts", 0);
        long max = o.integerAtLeast("data.maxPrompts", 1);
        return records.zipWithIndex().filter(r -> r._2() >= skip && r._2() < skip + max)
                .mapToPair(r -> new scala.Tuple2<>(r._2(), r._1().fields().get(0)))
                .repartitionAndSortWithinPartitions(new org.apache.spark.HashPartitioner(Math.max(1, spark.sparkContext().defaultParallelism())))
                .values().cache();
    }
}
