package io.sparklm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.LocalSpark;
import io.sparklm.model.ModelFamily;
import io.sparklm.rlhf.TinyRewardModel;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
    static final String TEXT = "Say hi. hi! Go away. What is 2+2? 4 five";

    /** A Parquet table of (prompt, response, id, turns) and a reward model over its characters. */
    static Path table(SparkSession spark, Path dir) {
        StructType schema = new StructType().add("prompt", DataTypes.StringType).add("response", DataTypes.StringType)
                .add("id", DataTypes.StringType).add("turns", DataTypes.IntegerType);
        List<Row> rows = List.of(RowFactory.create("Say hi.", "hi!", "a", 1), RowFactory.create("Say hi.", "Go away.", "b", 1),
                RowFactory.create("What is 2+2?", "4", "c", 2), RowFactory.create("What is 2+2?", "five", "d", 2));
        Path input = dir.resolve("pairs.parquet");
        spark.createDataFrame(rows, schema).write().parquet(input.toString());
        return input;
    }

    @Test
    void scoresAParquetTableIntoAParquetTableWithTheRewardColumn(@TempDir Path dir) throws Exception {
        SparkSession spark = LocalSpark.get();
        Path input = table(spark, dir);
        Path model = TinyRewardModel.save(dir.resolve("rm"), ModelFamily.REWARD, TEXT);
        Path output = dir.resolve("scored");

        MainTest.Outcome score = MainTest.run("score", "data.input=" + input, "data.output=" + output, "score.model=" + model,
                "score.batchSize=3");

        assertEquals(0, score.status(), score.err());
        assertTrue(score.out().contains("score: wrote " + output), score.out());
        Dataset<Row> scored = spark.read().parquet(output.toString());
        assertEquals(List.of("prompt", "response", "id", "turns", "reward"), List.of(scored.columns()));
        assertEquals(DataTypes.FloatType, scored.schema().apply("reward").dataType());
        assertEquals(4, scored.count());
        assertEquals(4, scored.select("reward").distinct().count(), "four different pairs get four different rewards");
    }

    @Test
    void scoresAJsonlTableIntoJsonl(@TempDir Path dir) throws Exception {
        Path input = java.nio.file.Files.writeString(dir.resolve("pairs.jsonl"),
                "{\"question\": \"Say hi.\", \"answer\": \"hi!\"}\n{\"question\": \"What is 2+2?\", \"answer\": \"4\"}\n");
        Path model = TinyRewardModel.save(dir.resolve("rm"), ModelFamily.REWARD, TEXT);
        Path output = dir.resolve("scored");

        MainTest.Outcome score = MainTest.run("score", "data.input=" + input, "data.format=jsonl", "data.output=" + output,
                "score.model=" + model, "score.promptCol=question", "score.responseCol=answer", "score.outputCol=r");

        assertEquals(0, score.status(), score.err());
        Dataset<Row> scored = LocalSpark.get().read().json(output.toString());
        assertEquals(List.of("answer", "question", "r"), List.of(scored.columns()));
        assertEquals(2, scored.count());
    }

    @Test
    void aMissingColumnANonStringColumnAnExistingOutputAndAWrongFamilyExitWithStatusTwo(@TempDir Path dir) throws Exception {
        Path input = table(LocalSpark.get(), dir);
        Path model = TinyRewardModel.save(dir.resolve("rm"), ModelFamily.REWARD, TEXT);
        String[] common = {"score", "data.input=" + input, "score.model=" + model};

        MainTest.Outcome missing = run(common, "data.output=" + dir.resolve("o1"), "score.promptCol=question");
        assertEquals(2, missing.status(), missing.err());
        assertTrue(missing.err().contains("promptCol \"question\" is not a column"), missing.err());

        MainTest.Outcome notText = run(common, "data.output=" + dir.resolve("o2"), "score.responseCol=turns");
        assertEquals(2, notText.status(), notText.err());
        assertTrue(notText.err().contains("responseCol \"turns\" has type int"), notText.err());

        MainTest.Outcome outputColumn = run(common, "data.output=" + dir.resolve("o3"), "score.outputCol=id");
        assertEquals(2, outputColumn.status(), outputColumn.err());
        assertTrue(outputColumn.err().contains("outputCol \"id\" is already a column"), outputColumn.err());

        MainTest.Outcome outputExists = run(common, "data.output=" + input);
        assertEquals(2, outputExists.status(), outputExists.err());
        assertTrue(outputExists.err().contains("data.output " + input + " already exists"), outputExists.err());

        Path decoder = TinyRewardModel.save(dir.resolve("gpt"), ModelFamily.DECODER, TEXT);
        MainTest.Outcome family = MainTest.run("score", "data.input=" + input, "data.output=" + dir.resolve("o4"), "score.model=" + decoder);
        assertEquals(2, family.status(), family.err());
        assertTrue(family.err().contains("holds a decoder model"), family.err());
    }

    private static MainTest.Outcome run(String[] common, String... more) {
        String[] args = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, args, common.length, more.length);
        return MainTest.run(args);
    }
}
