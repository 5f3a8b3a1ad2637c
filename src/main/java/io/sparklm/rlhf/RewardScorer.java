package io.sparklm.rlhf;

import io.sparklm.model.ModelFamily;
import io.sparklm.model.ModelSpec;
import io.sparklm.train.ModelDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import scala.Option;

/**
 * A Spark ML {@link Transformer} that appends the reward r(x, y) of a saved reward model to rows of
 * (prompt x, response y) text:
 * <pre>
 *   s = (encode(x) · encode(y))[−blockSize:]      the reward objective's sequence ({@link io.sparklm.objective.PreferenceBatch#joined})
 *   r = RewardModel.rewards(s)                     float, in outputCol
 * </pre>
 * with the model's own tokenizer and blockSize. Params:
 * <ul>
 *   <li>{@code promptCol} (default {@code "prompt"}) and {@code responseCol} (default {@code "response"}): string columns;</li>
 *   <li>{@code outputCol} (default {@code "reward"}): the float column added, which must not exist yet;</li>
 *   <li>{@code batchSize} (default 32): rows scored per forward pass, right-padded to the batch's longest sequence;</li>
 *   <li>{@code modelPath} (no default): a directory saved by {@link ModelDirectory} holding a
 *       {@link ModelFamily#REWARD} model, a Hadoop URI or a path on the default FileSystem.</li>
 * </ul>
 * Every other column is kept, and the rows keep their order. Each partition loads the model once
 * ({@link PartitionScorer}).
 *
 * <p>Persistence ({@link MLWritable}, and the static {@link #read()} and {@link #load(String)} that a
 * Scala companion {@code MLReadable} would give, which {@code PipelineModel.load} calls by class name):
 * <pre>
 *   PATH/metadata/part-*           the params as Spark's DefaultParamsWriter writes them, one JSON line (class, uid, paramMap, defaultParamMap)
 *   PATH/model/model.safetensors   the model files, copied from modelPath
 *   PATH/model/tokenizer.json
 * </pre>
 * A loaded scorer's modelPath is {@code PATH/model}, so it no longer needs the directory it was saved from.
 */
public final class RewardScorer extends Transformer implements MLWritable {
    /** The directory under a saved scorer's path that holds its copy of the model. */
    public static final String MODEL_DIR = "model";

    private final String uid;
    private final Param<String> promptCol;
    private final Param<String> responseCol;
    private final Param<String> outputCol;
    private final IntParam batchSize;
    private final Param<String> modelPath;

    public RewardScorer() {
        this(Identifiable.randomUID("rewardScorer"));
    }

    public RewardScorer(String uid) {
        this.uid = uid;
        this.promptCol = new Param<>(this, "promptCol", "string column of the prompts x");
        this.responseCol = new Param<>(this, "responseCol", "string column of the responses y");
        this.outputCol = new Param<>(this, "outputCol", "float column added for the rewards r(x, y)");
        this.batchSize = new IntParam(this, "batchSize", "rows scored per forward pass (≥ 1)", ParamValidators.gtEq(1));
        this.modelPath = new Param<>(this, "modelPath",
                "directory of a saved reward model (model.safetensors and tokenizer.json), a Hadoop URI or path");
        setDefault(promptCol, "prompt");
        setDefault(responseCol, "response");
        setDefault(outputCol, "reward");
        setDefault(batchSize, 32);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> promptCol() {
        return promptCol;
    }

    public Param<String> responseCol() {
        return responseCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public Param<String> modelPath() {
        return modelPath;
    }

    public String getPromptCol() {
        return getOrDefault(promptCol);
    }

    public String getResponseCol() {
        return getOrDefault(responseCol);
    }

    public String getOutputCol() {
        return getOrDefault(outputCol);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    /** modelPath; an error naming the Param when it is not set. */
    public String getModelPath() {
        if (!isDefined(modelPath)) {
            throw new IllegalArgumentException("RewardScorer " + uid + ": modelPath is not set; set it to the directory of a"
                    + " saved reward model (model.safetensors and tokenizer.json)");
        }
        return getOrDefault(modelPath);
    }

    public RewardScorer setPromptCol(String column) {
        set(promptCol, column);
        return this;
    }

    public RewardScorer setResponseCol(String column) {
        set(responseCol, column);
        return this;
    }

    public RewardScorer setOutputCol(String column) {
        set(outputCol, column);
        return this;
    }

    public RewardScorer setBatchSize(int rows) {
        set(batchSize, rows);
        return this;
    }

    public RewardScorer setModelPath(String directory) {
        set(modelPath, directory);
        return this;
    }

    /** The input schema with outputCol (float, not null) added; errors name a missing or non-string input column, or an outputCol that exists. */
    @Override
    public StructType transformSchema(StructType schema) {
        requireString(schema, promptCol);
        requireString(schema, responseCol);
        String output = getOutputCol();
        if (Arrays.asList(schema.fieldNames()).contains(output)) {
            throw new IllegalArgumentException("RewardScorer outputCol \"" + output + "\" is already a column of the input; set outputCol"
                    + " to a new name or drop that column");
        }
        return schema.add(new StructField(output, DataTypes.FloatType, false, org.apache.spark.sql.types.Metadata.empty()));
    }

    private void requireString(StructType schema, Param<String> column) {
        String name = getOrDefault(column);
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException("RewardScorer " + column.name() + " \"" + name + "\" is not a column of the input (columns: "
                    + String.join(", ", schema.fieldNames()) + "); set " + column.name() + " to the column that holds the text");
        }
        DataType type = schema.apply(name).dataType();
        if (!type.equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("RewardScorer " + column.name() + " \"" + name + "\" has type " + type.simpleString()
                    + ", but the scorer reads text: set " + column.name() + " to a string column or cast this one to string");
        }
    }

    /**
     * The rows with outputCol appended. The model's family is checked here, on the driver, from its
     * file's header; the scoring itself runs when the result is computed.
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType input = dataset.schema();
        StructType output = transformSchema(input);
        Configuration conf = dataset.sparkSession().sparkContext().hadoopConfiguration();
        String model = getModelPath();
        try {
            requireReward(ModelDirectory.spec(new Path(model), conf), model);
        } catch (IOException e) {
            throw new UncheckedIOException("RewardScorer modelPath " + model + ": " + e.getMessage(), e);
        }
        PartitionScorer scorer = new PartitionScorer(model, new SerializableConfiguration(conf), getBatchSize(),
                input.fieldIndex(getPromptCol()), input.fieldIndex(getResponseCol()));
        return dataset.toDF().mapPartitions(scorer, Encoders.row(output));
    }

    /** An error naming the family when {@code spec}, read from {@code modelPath}, is not a reward model's. */
    static void requireReward(ModelSpec spec, String modelPath) {
        if (spec.family() != ModelFamily.REWARD) {
            String family = spec.family().name().toLowerCase(Locale.ROOT);
            throw new IllegalArgumentException("RewardScorer modelPath " + modelPath + " holds a " + family + " model, not a reward"
                    + " model; set modelPath to a model trained with the reward objective (family REWARD)");
        }
    }

    @Override
    public RewardScorer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** The reader that {@code PipelineModel.load} finds by this class's name (Spark's {@code MLReadable.read}). */
    public static MLReader<RewardScorer> read() {
        return new Reader();
    }

    /** The scorer saved at {@code path} by {@link #save(String)}. */
    public static RewardScorer load(String path) {
        return read().load(path);
    }

    /** Writes {@code PATH/metadata} as Spark's DefaultParamsWriter does, then copies the model files to {@code PATH/model}. */
    private static final class Writer extends MLWriter {
        private final RewardScorer scorer;

        Writer(RewardScorer scorer) {
            this.scorer = scorer;
        }

        @Override
        public void saveImpl(String path) {
            String model = scorer.getModelPath();
            DefaultParamsWriter$.MODULE$.saveMetadata(scorer, path, sparkSession());
            try {
                ModelDirectory.copy(new Path(model), new Path(path, MODEL_DIR), sc().hadoopConfiguration());
            } catch (IOException e) {
                throw new UncheckedIOException("saving RewardScorer " + scorer.uid() + " to " + path + ": cannot copy modelPath "
                        + model + ": " + e.getMessage(), e);
            }
        }
    }

    /** Reads {@code PATH/metadata} as Spark's DefaultParamsReader does and points modelPath at {@code PATH/model}. */
    private static final class Reader extends MLReader<RewardScorer> {
        @Override
        public RewardScorer load(String path) {
            var metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(), RewardScorer.class.getName());
            RewardScorer scorer = new RewardScorer(metadata.uid());
            metadata.getAndSetParams(scorer, Option.empty());
            try {
                Path model = new Path(path, MODEL_DIR);
                return scorer.setModelPath(model.getFileSystem(sc().hadoopConfiguration()).makeQualified(model).toString());
            } catch (IOException e) {
                throw new UncheckedIOException("loading RewardScorer from " + path + ": " + e.getMessage(), e);
            }
        }
    }
}
