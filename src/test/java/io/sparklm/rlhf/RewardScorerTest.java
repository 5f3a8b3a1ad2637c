package io.sparklm.rlhf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.LocalSpark;
import io.sparklm.data.tokenizer.Tokenizer;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.PaddedSequences;
import io.sparklm.model.RewardModel;
import io.sparklm.nn.Cache;
import io.sparklm.objective.PreferenceBatch;
import io.sparklm.train.ModelDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardScorerTest {
    /** (prompt, response, id); the first prompt is longer than blockSize 16, so its start is cut. */
    static final String[][] ROWS = {
            {"What is the capital of France?", "Paris.", "1"},
            {"What is the capital of France?", "I do not know.", "2"},
            {"Say hi", "hi", "3"},
            {"Say hi", "Go away", "4"},
            {"", "only a response", "5"},
    };
    static final String TEXT = String.join("", Arrays.stream(ROWS).flatMap(r -> Stream.of(r[0], r[1], r[0].toLowerCase(Locale.ROOT))).toList());

    static Dataset<Row> table(SparkSession spark) {
        StructType schema = new StructType().add("prompt", DataTypes.StringType).add("response", DataTypes.StringType)
                .add("id", DataTypes.StringType);
        List<Row> rows = Arrays.stream(ROWS).map(r -> RowFactory.create((Object[]) r)).toList();
        return spark.createDataFrame(rows, schema).repartition(2);
    }

    /** RewardModel.rewards of prompt · response cut to blockSize, in one batch, in ROWS order. */
    static float[] directRewards(Path modelDir, boolean lowercasePrompts) throws Exception {
        ModelDirectory.Loaded loaded = ModelDirectory.load(modelDir);
        Tokenizer tokenizer = loaded.tokenizer();
        int[][] sequences = new int[ROWS.length][];
        for (int i = 0; i < ROWS.length; i++) {
            String prompt = lowercasePrompts ? ROWS[i][0].toLowerCase(Locale.ROOT) : ROWS[i][0];
            sequences[i] = PreferenceBatch.joined(tokenizer.encode(prompt), tokenizer.encode(ROWS[i][1]), TinyRewardModel.BLOCK_SIZE);
        }
        return ((RewardModel) loaded.model()).rewards(PaddedSequences.rightPadded(sequences), Cache.inference());
    }

    /** The reward column, ordered by id. */
    static float[] rewardsById(Dataset<Row> scored) {
        List<Row> rows = scored.orderBy("id").collectAsList();
        float[] rewards = new float[rows.size()];
        for (int i = 0; i < rewards.length; i++) {
            rewards[i] = rows.get(i).getFloat(rows.get(i).fieldIndex("reward"));
        }
        return rewards;
    }

    @Test
    void appendsTheRewardOfPromptThenResponseAndKeepsEveryRowAndColumn(@TempDir Path dir) throws Exception {
        Path model = TinyRewardModel.save(dir.resolve("rm"), ModelFamily.REWARD, TEXT);
        RewardScorer scorer = new RewardScorer().setModelPath(model.toString()).setBatchSize(2);

        Dataset<Row> scored = scorer.transform(table(LocalSpark.get()));

        assertEquals(List.of("prompt", "response", "id", "reward"), Arrays.asList(scored.columns()));
        assertEquals(DataTypes.FloatType, scored.schema().apply("reward").dataType());
        List<Row> rows = scored.orderBy("id").collectAsList();
        assertEquals(ROWS.length, rows.size());
        for (int i = 0; i < ROWS.length; i++) {
            assertEquals(List.of(ROWS[i][0], ROWS[i][1], ROWS[i][2]), List.of(rows.get(i).getString(0), rows.get(i).getString(1),
                    rows.get(i).getString(2)));
        }
        float[] expected = directRewards(model, false);
        assertArrayEquals(expected, rewardsById(scored), 1e-5f);
        assertNotEquals(expected[0], expected[1], 1e-3f, "the rewards must tell responses apart for this test to mean anything");
    }

    @Test
    void transformSchemaNamesAMissingColumnANonStringColumnAndAnExistingOutputColumn() {
        RewardScorer scorer = new RewardScorer();
        StructType text = new StructType().add("prompt", DataTypes.StringType).add("response", DataTypes.StringType);

        StructType out = scorer.transformSchema(text);
        assertEquals(DataTypes.FloatType, out.apply("reward").dataType());

        String missing = assertThrows(IllegalArgumentException.class,
                () -> scorer.transformSchema(new StructType().add("question", DataTypes.StringType).add("response", DataTypes.StringType)))
                .getMessage();
        assertTrue(missing.contains("promptCol \"prompt\"") && missing.contains("question") && missing.contains("set promptCol"), missing);

        String wrongType = assertThrows(IllegalArgumentException.class,
                () -> scorer.transformSchema(new StructType().add("prompt", DataTypes.StringType).add("response", DataTypes.IntegerType)))
                .getMessage();
        assertTrue(wrongType.contains("responseCol \"response\" has type int") && wrongType.contains("set responseCol"), wrongType);

        String existing = assertThrows(IllegalArgumentException.class,
                () -> scorer.transformSchema(text.add("reward", DataTypes.DoubleType))).getMessage();
        assertTrue(existing.contains("outputCol \"reward\" is already a column") && existing.contains("set outputCol"), existing);

        assertEquals(DataTypes.FloatType, scorer.setOutputCol("score").transformSchema(text.add("reward", DataTypes.DoubleType))
                .apply("score").dataType());
    }

    @Test
    void copyKeepsTheUidAndTheParamsAndAppliesTheExtraOnes() {
        RewardScorer scorer = new RewardScorer().setModelPath("/models/rm").setBatchSize(3);

        RewardScorer copy = scorer.copy(new ParamMap().put(scorer.outputCol(), "score"));

        assertEquals(scorer.uid(), copy.uid());
        assertEquals(List.of(3, "/models/rm", "score", "prompt"), List.of(copy.getBatchSize(), copy.getModelPath(), copy.getOutputCol(),
                copy.getPromptCol()));
        assertEquals("reward", scorer.getOutputCol());
    }

    @Test
    void aModelOfAnotherFamilyIsRefusedNamingTheFamily(@TempDir Path dir) throws Exception {
        Path decoder = TinyRewardModel.save(dir.resolve("gpt"), ModelFamily.DECODER, TEXT);
        RewardScorer scorer = new RewardScorer().setModelPath(decoder.toString());

        String message = assertThrows(IllegalArgumentException.class, () -> scorer.transform(table(LocalSpark.get()))).getMessage();

        assertTrue(message.contains("holds a decoder model") && message.contains(decoder.toString()), message);
    }

    @Test
    void savedAloneItLoadsWithItsParamsAndItsOwnCopyOfTheModel(@TempDir Path dir) throws Exception {
        Path model = TinyRewardModel.save(dir.resolve("rm"), ModelFamily.REWARD, TEXT);
        RewardScorer scorer = new RewardScorer().setModelPath(model.toString()).setBatchSize(3).setOutputCol("reward");
        Path saved = dir.resolve("scorer");

        scorer.save(saved.toString());
        RewardScorer loaded = RewardScorer.load(saved.toString());

        assertEquals(scorer.uid(), loaded.uid());
        assertEquals(3, loaded.getBatchSize());
        assertEquals("prompt", loaded.getPromptCol());
        assertEquals("reward", loaded.getOutputCol());
        try (Stream<Path> metadata = Files.list(saved.resolve("metadata"))) {
            assertTrue(metadata.anyMatch(f -> f.getFileName().toString().startsWith("part-")), "Spark's params metadata");
        }
        assertTrue(Files.isRegularFile(saved.resolve("model/model.safetensors")));
        assertTrue(Files.isRegularFile(saved.resolve("model/tokenizer.json")));
        assertEquals(saved.resolve("model").toUri().getPath().replaceAll("/$", ""), new org.apache.hadoop.fs.Path(loaded.getModelPath()).toUri().getPath());
        assertArrayEquals(directRewards(model, false), rewardsById(loaded.transform(table(LocalSpark.get()))), 1e-5f);
    }

    @Test
    void insideAPipelineItSurvivesPipelineModelSaveAndLoadWithoutTheOriginalModel(@TempDir Path dir) throws Exception {
        Path model = TinyRewardModel.save(dir.resolve("rm"), ModelFamily.REWARD, TEXT);
        SQLTransformer lowercase = new SQLTransformer().setStatement("SELECT lower(prompt) AS prompt, response, id FROM __THIS__");
        RewardScorer scorer = new RewardScorer().setModelPath(model.toString()).setBatchSize(2);
        Dataset<Row> table = table(LocalSpark.get());
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {lowercase, scorer}).fit(table);
        float[] before = rewardsById(fitted.transform(table));
        Path saved = dir.resolve("pipeline");

        fitted.save(saved.toString());
        deleteRecursively(model);
        PipelineModel loaded = PipelineModel.load(saved.toString());

        RewardScorer loadedScorer = (RewardScorer) loaded.stages()[1];
        assertTrue(new org.apache.hadoop.fs.Path(loadedScorer.getModelPath()).toUri().getPath().startsWith(saved.toString() + "/"),
                loadedScorer.getModelPath());
        float[] after = rewardsById(loaded.transform(table));
        assertArrayEquals(before, after);
        assertArrayEquals(directRewards(Path.of(new org.apache.hadoop.fs.Path(loadedScorer.getModelPath()).toUri().getPath()), true),
                after, 1e-5f);
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertTrue(!Files.exists(dir));
    }
}
