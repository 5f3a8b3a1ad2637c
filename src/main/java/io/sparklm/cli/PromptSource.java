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
 * take disjoint ranges (preference pairs, then held-out prompts).
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
        return records.zipWithIndex().filter(r -> r._2() >= skip && r._2() < skip + max).map(r -> r._1().fields().get(0))
                .repartition(Math.max(1, spark.sparkContext().defaultParallelism())).cache();
    }
}
