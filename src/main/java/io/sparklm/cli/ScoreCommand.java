package io.sparklm.cli;

import io.sparklm.rlhf.RewardScorer;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code sparklm score}: reads a table of (prompt, response) rows from any Hadoop URI
 * ({@code data.format} {@code parquet} or {@code jsonl}), appends the reward r(x, y) of the reward
 * model {@code score.model} with {@link RewardScorer}, and writes every column and the reward to
 * {@code data.output} in the same format. An existing {@code data.output} is an error unless
 * {@code data.overwrite=true}.
 */
final class ScoreCommand implements Main.Command {
    @Override
    public String summary() {
        return "append a reward model's r(prompt, response) to a Parquet or JSONL table";
    }

    @Override
    public Map<String, String> defaults() {
        return Map.ofEntries(
                Map.entry("data.input", ""), Map.entry("data.format", "parquet"), Map.entry("data.output", ""),
                Map.entry("data.overwrite", "false"),
                Map.entry("score.model", ""), Map.entry("score.promptCol", "prompt"), Map.entry("score.responseCol", "response"),
                Map.entry("score.outputCol", "reward"), Map.entry("score.batchSize", "32"),
                Map.entry("spark.master", "local[*]"));
    }

    @Override
    public void run(Options o) throws Exception {
        for (String key : new String[] {"data.input", "data.output", "score.model"}) {
            if (!o.isSet(key)) {
                throw o.invalid(key, key.equals("score.model") ? "the directory of a saved reward model" : "a Hadoop URI or path");
            }
        }
        String format = o.string("data.format");
        if (!format.equals("parquet") && !format.equals("jsonl")) {
            throw o.invalid("data.format", "parquet or jsonl");
        }
        RewardScorer scorer = new RewardScorer().setModelPath(o.string("score.model"))
                .setPromptCol(o.string("score.promptCol")).setResponseCol(o.string("score.responseCol"))
                .setOutputCol(o.string("score.outputCol")).setBatchSize(o.integerAtLeast("score.batchSize", 1));
        SparkSession spark = SparkJobs.session("score", o);
        String output = o.string("data.output");
        Path out = new Path(output);
        FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
        boolean overwrite = o.flag("data.overwrite");
        if (!overwrite && fs.exists(out)) {
            throw new IllegalArgumentException("score: data.output " + output + " already exists; remove it, choose another data.output"
                    + " or set data.overwrite=true");
        }
        String input = o.string("data.input");
        org.apache.hadoop.fs.FileStatus[] found = new Path(input).getFileSystem(fs.getConf()).globStatus(new Path(input));
        if (found == null || found.length == 0) {
            throw new IllegalArgumentException("score: data.input " + input + " does not exist; point it at a " + format + " file or directory");
        }
        Dataset<Row> table = format.equals("parquet") ? spark.read().parquet(input) : spark.read().json(input);
        Dataset<Row> scored = scorer.transform(table);
        SaveMode mode = overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists;
        if (format.equals("parquet")) {
            scored.write().mode(mode).parquet(output);
        } else {
            scored.write().mode(mode).json(output);
        }
        System.out.printf("score: wrote %s (%s) with column %s from the reward model %s%n", output, format, scorer.getOutputCol(),
                scorer.getModelPath());
    }
}
