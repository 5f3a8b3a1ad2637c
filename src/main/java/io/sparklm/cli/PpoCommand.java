package io.sparklm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparklm.data.shard.Shards;
import io.sparklm.data.tokenizer.Tokenizer;
import io.sparklm.model.Gpt;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.ModelSpec;
import io.sparklm.model.PolicyValue;
import io.sparklm.objective.PpoScores;
import io.sparklm.objective.ProximalPolicyOptimization;
import io.sparklm.optim.OuterOptimizer;
import io.sparklm.optim.Schedule;
import io.sparklm.rlhf.KlController;
import io.sparklm.rlhf.PpoIteration;
import io.sparklm.rlhf.RewardScorer;
import io.sparklm.rlhf.Rollouts;
import io.sparklm.train.LocalTrainer;
import io.sparklm.train.LossChart;
import io.sparklm.train.ModelDirectory;
import io.sparklm.train.OptimizerSpec;
import io.sparklm.train.RunFiles;
import io.sparklm.train.SparkTrainer;
import io.sparklm.train.TrainerState;
import io.sparklm.train.TrainingSpec;
import io.sparklm.train.WorkerStates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code sparklm ppo}: PPO against a reward model (seeds-digest §10; Ouyang et al. 2022), one
 * iteration as Spark stages:
 * <ol>
 *   <li>rollouts on the executors ({@link Rollouts}): the policy and the frozen reference (both
 *       starting from {@code init.model}) broadcast, KV-cached sampling, per token log π_old, log π_ref
 *       and V, every draw seeded by (seed, iteration, partition, sequence);</li>
 *   <li>scoring: the rollouts as a DataFrame (prompt, response text) through
 *       {@link RewardScorer#transform}, the reward model's own Spark ML stage;</li>
 *   <li>per-token rewards −β(log π − log π_ref) plus the score at the last token, GAE (γ, λ) and
 *       whitened advantages ({@link PpoIteration}), β fixed or adapted toward {@code ppo.klTarget};</li>
 *   <li>the PPO update: {@code ppo.epochs} passes over the iteration's rollouts through
 *       {@link SparkTrainer} with the {@link ProximalPolicyOptimization} objective (clipped policy,
 *       clipped value, entropy bonus) and parameter averaging.</li>
 * </ol>
 * Each iteration appends a row to {@code RUN/ppo-metrics.jsonl} (mean reward, KL to the reference,
 * β, clip fraction, approximate KL, value loss, entropy, response length) and redraws
 * {@code RUN/ppo.png}; the policy is saved as a GPT in {@code RUN/model/}. The rollouts of an
 * iteration ({@code ppo.prompts} of them, a window that walks through each worker's prompts) are
 * gathered on the driver to compute advantages: a few floats a token.
 */
final class PpoCommand implements Main.Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String summary() {
        return "PPO of a fine-tuned GPT (init.model) against a reward model (reward.model) on the prompts of SFT shards: "
                + "rollouts, RewardScorer, GAE, clipped updates";
    }

    @Override
    public Map<String, String> defaults() {
        Map<String, String> d = new HashMap<>();
        d.put("data.shards", "runs/rlhf/sft-data");
        d.put("init.model", "runs/rlhf/sft/model");
        d.put("reward.model", "runs/rlhf/reward/model");
        d.put("run.dir", "runs/rlhf/ppo");
        d.put("ppo.iterations", "10");
        d.put("ppo.prompts", "256");
        d.put("ppo.maxTokens", "16");
        d.put("ppo.epochs", "4");
        d.put("ppo.kl", "0.05");
        d.put("ppo.klTarget", "0");
        d.put("ppo.klHorizon", "10000");
        d.put("ppo.gamma", "1.0");
        d.put("ppo.lambda", "0.95");
        d.put("ppo.entropy", "0");
        d.put("train.workers", "2");
        d.put("train.batchSize", "16");
        d.put("train.lr", "1e-4");
        d.put("train.clip", "1.0");
        d.put("train.seed", "1337");
        d.put("spark.master", "local[*]");
        return d;
    }

    @Override
    public void run(Options o) throws Exception {
        SparkSession spark = SparkJobs.session("ppo", o);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String data = o.string("data.shards");
        Tokenizer tokenizer = Shards.readTokenizer(spark, data);
        Shards shards = Shards.open(spark, data, tokenizer, -1);
        if (!shards.manifest().holdsRecords()) {
            throw new IllegalArgumentException("ppo reads prompts from records (prompt, …): " + data + " holds token blocks");
        }
        int end = tokenizer.endOfText().orElseThrow(() -> new IllegalArgumentException("ppo needs a tokenizer with an end-of-text id"));
        java.nio.file.Path init = java.nio.file.Path.of(o.string("init.model"));
        ModelDirectory.Loaded start = ModelDirectory.load(init);
        Gpt sft = start.decoder("ppo's init.model");
        start.requireTokenizerOf("init.model", init, tokenizer);
        ModelDirectory.Loaded rewardModel = ModelDirectory.load(java.nio.file.Path.of(o.string("reward.model")));
        if (rewardModel.model().spec().family() != ModelFamily.REWARD) {
            throw new IllegalArgumentException("reward.model " + o.string("reward.model") + " holds a "
                    + rewardModel.model().spec().family().name().toLowerCase(Locale.ROOT) + " model, not a reward model");
        }
        if (!rewardModel.tokenizer().hash().equals(tokenizer.hash())) {
            throw new IllegalArgumentException("reward.model " + o.string("reward.model") + " uses another tokenizer than the policy "
                    + o.string("init.model") + ": train the reward model on the policy's tokenizer");
        }
        ModelSpec policySpec = new ModelSpec(ModelFamily.POLICY, sft.config());
        PolicyValue reference = (PolicyValue) policySpec.build(o.integer("train.seed"));
        reference.parameters().copyMatchingFrom(sft.parameters());
        PolicyValue policy = (PolicyValue) policySpec.withParameters(reference.parameters().flatten());

        int workers = o.integerAtLeast("train.workers", 1);
        JavaRDD<int[]> prompts = shards.train(workers).persist(StorageLevel.MEMORY_AND_DISK_SER());
        int promptFields = shards.manifest().records().fields().size();
        Rollouts.Settings rolloutSettings = new Rollouts.Settings(o.integerAtLeast("ppo.maxTokens", 1), end, promptFields);
        KlController kl = o.number("ppo.klTarget") > 0
                ? new KlController.Adaptive(o.number("ppo.kl"), o.number("ppo.klTarget"), o.number("ppo.klHorizon"))
                : new KlController.Fixed(o.number("ppo.kl"));
        RewardScorer scorer = new RewardScorer().setModelPath(o.string("reward.model"));
        String runDir = o.string("run.dir");
        RunFiles files = RunFiles.forUri(runDir, sc.hadoopConfiguration());
        List<JsonNode> rows = new ArrayList<>();
        for (int iteration = 1; iteration <= o.integerAtLeast("ppo.iterations", 1); iteration++) {
            sc.setJobDescription("sparklm ppo iteration " + iteration + ": rollouts");
            int perWorker = Math.max(1, o.integerAtLeast("ppo.prompts", 1) / workers);
            int round = iteration;
            JavaRDD<int[]> batch = prompts.map(records -> window(records, promptFields, round, perWorker));
            List<Rollouts.Rollout> rollouts = Rollouts.sample(sc, batch, policy, reference, rolloutSettings, o.integer("train.seed"),
                    iteration).collect();
            sc.setJobDescription("sparklm ppo iteration " + iteration + ": reward scoring");
            PpoIteration.Result result = PpoIteration.records(rollouts, r -> scores(spark, scorer, tokenizer, r), kl,
                    o.number("ppo.gamma"), o.number("ppo.lambda"));
            sc.setJobDescription("sparklm ppo iteration " + iteration + ": policy update");
            JavaRDD<int[]> records = sc.parallelize(split(result.records(), workers), workers)
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            int batchSize = o.integerAtLeast("train.batchSize", 1);
            int steps = Math.max(1, o.integerAtLeast("ppo.epochs", 1) * rollouts.size() / (workers * batchSize));
            TrainingSpec spec = new TrainingSpec(policySpec, new ProximalPolicyOptimization(o.number("ppo.entropy")),
                    OptimizerSpec.adamW(0.9, 0.99, 0.0), new LocalTrainer.Settings(batchSize, Schedule.constant(o.number("train.lr")),
                    o.number("train.clip"), o.integer("train.seed") + iteration), steps, 0);
            SparkTrainer trainer = new SparkTrainer(sc, spec, new SparkTrainer.Settings(1, 0, 0), OuterOptimizer.average(),
                    new WorkerStates(new Path(files.qualify(runDir), "iteration-" + iteration).toString(), sc.hadoopConfiguration()));
            TrainerState updated = trainer.run(records, null, TrainerState.initial(policy.parameters().flatten()), null);
            PpoScores scores = (PpoScores) trainer.score(records, updated).orElseThrow();
            policy = (PolicyValue) policySpec.withParameters(updated.parameters());
            records.unpersist(false);
            rows.add(row(iteration, result, kl, scores, rollouts));
            kl = result.kl();
            System.out.println(describe(rows.get(rows.size() - 1)));
            writeMetrics(files, runDir, rows);
        }
        Gpt finalPolicy = (Gpt) ModelSpec.decoder(sft.config()).blank();
        finalPolicy.parameters().copyMatchingFrom(policy.parameters());
        java.nio.file.Path model = java.nio.file.Path.of(runDir, "model");
        ModelDirectory.save(model, finalPolicy, tokenizer);
        System.out.println("saved the PPO policy (without its value head) in " + model);
    }

    /** The rollouts scored by the reward model's Spark ML stage, in rollout order. */
    private static float[] scores(SparkSession spark, RewardScorer scorer, Tokenizer tokenizer, List<Rollouts.Rollout> rollouts) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < rollouts.size(); i++) {
            Rollouts.Rollout r = rollouts.get(i);
            int[] response = r.response();
            int n = response.length > 0 && tokenizer.endOfText().orElse(-1) == response[response.length - 1] ? response.length - 1 : response.length;
            rows.add(RowFactory.create(i, tokenizer.decode(r.prompt()), tokenizer.decode(java.util.Arrays.copyOf(response, n))));
        }
        StructType schema = new StructType().add("index", DataTypes.IntegerType).add("prompt", DataTypes.StringType)
                .add("response", DataTypes.StringType);
        Dataset<Row> table = spark.createDataFrame(rows, schema);
        float[] out = new float[rollouts.size()];
        for (Row row : scorer.transform(table).select("index", "reward").collectAsList()) {
            out[row.getInt(0)] = row.getFloat(1);
        }
        return out;
    }

    /**
     * Iteration i's prompts of one worker: its records [(i − 1)·k, i·k) modulo its count, so that
     * successive iterations walk through the worker's prompts.
     */
    static int[] window(int[] data, int fields, int iteration, int k) {
        io.sparklm.objective.Examples examples = io.sparklm.objective.Examples.of(data);
        int n = examples.records(fields);
        List<int[]> out = new ArrayList<>();
        for (int j = 0; j < Math.min(k, n); j++) {
            out.add(io.sparklm.data.shard.RecordLayout.encode(examples.record((int) (((long) (iteration - 1) * k + j) % n), fields)));
        }
        return out.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    /** The packed PPO records cut into {@code parts} runs of whole records, one per worker. */
    private static List<int[]> split(int[] records, int parts) {
        io.sparklm.objective.Examples examples = io.sparklm.objective.Examples.of(records);
        int n = examples.records(ProximalPolicyOptimization.FIELDS);
        List<int[]> out = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            List<int[]> part = new ArrayList<>();
            for (int i = (int) ((long) n * p / parts); i < (int) ((long) n * (p + 1) / parts); i++) {
                part.add(io.sparklm.data.shard.RecordLayout.encode(examples.record(i, ProximalPolicyOptimization.FIELDS)));
            }
            out.add(part.stream().flatMapToInt(java.util.Arrays::stream).toArray());
        }
        return out;
    }

    private static JsonNode row(int iteration, PpoIteration.Result result, KlController kl, PpoScores scores, List<Rollouts.Rollout> rollouts) {
        ObjectNode row = JSON.createObjectNode();
        row.put("iteration", iteration);
        row.put("mean_reward", result.meanScore());
        row.put("kl", result.meanKl());
        row.put("beta", kl.beta());
        scores.figures().forEach(row::put);
        row.put("response_length", rollouts.stream().mapToInt(r -> r.response().length).average().orElse(0));
        row.put("rollouts", rollouts.size());
        return row;
    }

    private static String describe(JsonNode row) {
        StringBuilder s = new StringBuilder("ppo:");
        row.fields().forEachRemaining(e -> s.append(String.format(Locale.ROOT, " %s %.4f", e.getKey(), e.getValue().asDouble())));
        return s.toString();
    }

    private static void writeMetrics(RunFiles files, String runDir, List<JsonNode> rows) throws java.io.IOException {
        StringBuilder lines = new StringBuilder();
        rows.forEach(r -> lines.append(r).append('\n'));
        Path dir = files.qualify(runDir);
        files.writeStringAtomically(new Path(dir, "ppo-metrics.jsonl"), lines.toString());
        files.writeAtomically(new Path(dir, "ppo.png"), out -> LossChart.write(rows, "iteration",
                List.of("mean_reward", "kl", "clip_fraction", "value_loss", "entropy"),
                List.of("mean reward", "KL to the reference", "clip fraction", "value loss", "entropy"),
                "sparklm PPO", "iteration", "value", out));
    }
}
