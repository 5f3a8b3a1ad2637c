package io.sparklm.cli;

import io.sparklm.data.shard.Shards;
import io.sparklm.data.tokenizer.Tokenizer;
import io.sparklm.eval.Generator;
import io.sparklm.model.Gpt;
import io.sparklm.model.Model;
import io.sparklm.model.ModelConfig;
import io.sparklm.model.ModelSpec;
import io.sparklm.nn.Activation;
import io.sparklm.nn.Block;
import io.sparklm.nn.PositionalEncoding;
import io.sparklm.data.shard.ShardManifest;
import io.sparklm.data.tokenizer.WordPiece;
import io.sparklm.loss.CrossEntropy;
import io.sparklm.nn.Pooling;
import io.sparklm.objective.CausalLmObjective;
import io.sparklm.objective.ClassificationObjective;
import io.sparklm.objective.ContrastiveObjective;
import io.sparklm.objective.DirectPreferenceOptimization;
import io.sparklm.objective.MaskedLmObjective;
import io.sparklm.objective.Objective;
import io.sparklm.objective.Scores;
import io.sparklm.objective.RewardObjective;
import io.sparklm.objective.Seq2SeqObjective;
import io.sparklm.objective.SupervisedFineTuning;
import io.sparklm.optim.OuterOptimizer;
import io.sparklm.optim.Schedule;
import io.sparklm.rlhf.ReferenceLogProbs;
import io.sparklm.tensor.Rng;
import io.sparklm.train.Checkpoints;
import io.sparklm.train.LocalStepSchedule;
import io.sparklm.train.LocalTrainer;
import io.sparklm.train.MemoryPlan;
import io.sparklm.train.Metrics;
import io.sparklm.train.ModelDirectory;
import io.sparklm.train.OptimizerSpec;
import io.sparklm.train.RunFiles;
import io.sparklm.train.RunRecorder;
import io.sparklm.train.SparkTrainer;
import io.sparklm.train.TrainerState;
import io.sparklm.train.TrainingSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code sparklm pretrain}: parameter-averaging training, on the shards that {@code sparklm tokenize}
 * wrote, of the model family that {@code objective=} trains (a GPT for the default causal LM), with
 * checkpoints, metrics, resume and the objective's validation scores.
 */
final class PretrainCommand implements Main.Command {
    private final String objective;
    private final String summary;

    /** {@code sparklm pretrain}: causal LM unless {@code objective=} says otherwise. */
    PretrainCommand() {
        this(CausalLmObjective.NAME, "train a model on Spark from tokenized shards (objective=clm|mlm|classify|contrastive|seq2seq|sft|reward|dpo): "
                + "rounds of local steps and parameter averaging");
    }

    /** The same command under another name whose default objective is {@code objective} (finetune, reward-train). */
    PretrainCommand(String objective, String summary) {
        this.objective = objective;
        this.summary = summary;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public Map<String, String> defaults() {
        return Map.ofEntries(
                Map.entry("objective", objective), Map.entry("data.shards", "runs/quickstart"), Map.entry("init.model", ""),
                Map.entry("sft.maskPrompt", "true"), Map.entry("dpo.beta", Double.toString(DirectPreferenceOptimization.DEFAULT_BETA)),
                Map.entry("classify.pooling", "attention"), Map.entry("classify.classWeights", "false"),
                Map.entry("contrastive.pooling", "mean"), Map.entry("contrastive.projection", "0"), Map.entry("contrastive.twoTower", "false"),
                Map.entry("contrastive.similarity", "cosine"), Map.entry("contrastive.temperature", "0.07"),
                Map.entry("contrastive.learnTemperature", "true"), Map.entry("contrastive.candidates", "100"), Map.entry("run.dir", "runs/quickstart"),
                Map.entry("run.resume", "false"), Map.entry("run.samples", "1"), Map.entry("run.sampleTokens", "200"), Map.entry("run.prompt", "The"),
                Map.entry("model.layers", "4"), Map.entry("model.heads", "4"), Map.entry("model.width", "128"),
                Map.entry("model.hidden", "0"), Map.entry("model.dropout", "0"), Map.entry("model.activation", "gelu"),
                Map.entry("model.norm", "pre"), Map.entry("model.positions", "learned"),
                Map.entry("train.workers", "2"), Map.entry("train.rounds", "20"), Map.entry("train.localSteps", "20"),
                Map.entry("train.syncSteps", "0"), Map.entry("train.localStepsGrowth", "1"),
                Map.entry("train.batchSize", "12"), Map.entry("train.lr", "2e-3"), Map.entry("train.minLr", "2e-4"),
                Map.entry("train.warmup", "40"), Map.entry("train.scheduleSteps", "0"), Map.entry("train.clip", "1.0"), Map.entry("train.seed", "1337"),
                Map.entry("train.evalEvery", "5"), Map.entry("train.evalBlocks", "256"), Map.entry("train.checkpointEvery", "5"), Map.entry("train.threads", "0"),
                Map.entry("train.exchangeChunk", Integer.toString(SparkTrainer.DEFAULT_EXCHANGE_CHUNK)),
                Map.entry("optimizer.kind", "adamw"), Map.entry("optimizer.beta1", "0.9"), Map.entry("optimizer.beta2", "0.99"),
                Map.entry("optimizer.weightDecay", "0.1"), Map.entry("optimizer.momentum", "0.9"),
                Map.entry("outer.optimizer", "average"), Map.entry("outer.lr", "1.0"), Map.entry("outer.momentum", "0.6"),
                Map.entry("spark.master", "local[*]"));
    }

    @Override
    public void run(Options o) throws Exception {
        SparkSession spark = SparkJobs.session("pretrain", o);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String data = o.string("data.shards");
        Tokenizer tokenizer = Shards.readTokenizer(spark, data);
        Shards shards = Shards.open(spark, data, tokenizer, -1);
        int blockSize = shards.manifest().spec().blockSize();
        int workers = o.integerAtLeast("train.workers", 1);
        JavaRDD<int[]> train = shards.train(workers).persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaRDD<int[]> val = shards.val(workers).persist(StorageLevel.MEMORY_AND_DISK_SER());
        TrainingSpec spec = spec(o, tokenizer, objective(o, tokenizer, shards.manifest(), train), blockSize);
        if (spec.objective() instanceof DirectPreferenceOptimization dpo) {
            java.util.List<JavaRDD<int[]>> scored = withReferenceLogProbs(o, sc, tokenizer, spec, dpo, train, val);
            train = scored.get(0);
            val = scored.get(1);
        }
        String runDir = o.string("run.dir");

        RunFiles files = RunFiles.forUri(runDir, sc.hadoopConfiguration());
        org.apache.hadoop.fs.Path runPath = files.qualify(runDir);
        if (files.fs().exists(runPath) && !files.fs().getFileStatus(runPath).isDirectory()) {
            throw new IllegalArgumentException("run.dir " + runPath + " is a file, not a directory: give run.dir a new or existing directory");
        }
        Checkpoints checkpoints = new Checkpoints(files, runDir);
        SparkTrainer.Settings settings = new SparkTrainer.Settings(o.integer("train.rounds"), o.integer("train.evalEvery"),
                o.integer("train.evalBlocks"), o.integer("train.exchangeChunk"), o.integer("train.syncSteps"), o.number("train.localStepsGrowth"));
        Map<String, String> resumeSettings = resumeSettings(o, spec, settings.localSteps(spec.localSteps()));
        int unfinished = checkpoints.removeUnfinished();
        if (unfinished > 0) {
            System.out.println("removed " + unfinished + " unfinished checkpoint directories from " + checkpoints.root());
        }
        TrainerState start = startState(o, checkpoints, spec, resumeSettings, tokenizer);
        System.out.printf("pretrain: %s objective, %s model, %,d parameters, %d workers × %d local steps × %d rounds, block %d, vocabulary %d, from round %d%n",
                spec.objective().name(), spec.model().family().name().toLowerCase(Locale.ROOT), start.parameters().length, workers,
                spec.localSteps(), o.integer("train.rounds"),
                blockSize, tokenizer.vocabSize(), start.round());

        MemoryPlan plan = memoryPlan(sc, spec, settings, start.parameters().length, workers);
        System.out.println("pretrain: " + plan.describe());

        Metrics metrics = new Metrics(files, runDir, start.round());
        RunRecorder recorder = new RunRecorder(checkpoints, metrics, spec, resumeSettings, o.integer("train.checkpointEvery"), System.out);
        SparkTrainer trainer = new SparkTrainer(sc, spec, settings,
                OuterOptimizer.named(o.string("outer.optimizer"), o.number("outer.lr"), o.number("outer.momentum")),
                checkpoints.workerStates());
        TrainerState end = trainer.run(train, val, start, recorder);
        java.util.Optional<Scores> scores = trainer.score(val, end);
        if (scores.isPresent()) {
            writeScores(files, runDir, spec, scores.get());
        }

        Model model = spec.model().withParameters(end.parameters());
        saveFinalModel(files, runDir, model, tokenizer);
        if (model instanceof Gpt gpt) {
            printSamples(o, gpt, tokenizer);
        }
    }

    /** Estimates the run's memory and refuses it, naming what to change, where the heaps cannot hold it. */
    private static MemoryPlan memoryPlan(JavaSparkContext sc, TrainingSpec spec, SparkTrainer.Settings settings, long parameters,
                                         int workers) {
        org.apache.spark.SparkConf conf = sc.getConf();
        int taskCpus = conf.getInt("spark.task.cpus", 1);
        String master = sc.master();
        boolean localMode = master.equals("local") || master.startsWith("local[");
        int slots = localMode ? sc.defaultParallelism() / taskCpus : Math.max(1, conf.getInt("spark.executor.cores", 1) / taskCpus);
        int tasksPerJvm = Math.max(1, Math.min(workers, slots));
        int threads = spec.threads() > 0 ? spec.threads() : taskCpus;
        MemoryPlan plan = MemoryPlan.of(spec.model().config(), parameters, spec.optimizer().kind(), spec.optimizer().momentum(),
                spec.local().batchSize(), threads, tasksPerJvm, settings.exchangeChunk());
        plan.requireFits(conf.getSizeAsBytes("spark.executor.memory", "1g"), Runtime.getRuntime().maxMemory(), localMode, tasksPerJvm);
        return plan;
    }

    /**
     * The objective {@code objective=NAME} names, for shards of {@code tokenizer}'s ids described
     * by {@code manifest}; {@code train} is read for the class weights of {@code classify.classWeights}.
     */
    static Objective objective(Options o, Tokenizer tokenizer, ShardManifest manifest, JavaRDD<int[]> train) {
        String name = o.string("objective");
        int blockSize = manifest.spec().blockSize();
        return switch (name) {
            case CausalLmObjective.NAME -> new CausalLmObjective(requireBlocks(name, manifest));
            case MaskedLmObjective.NAME -> {
                requireBlocks(name, manifest);
                if (!(tokenizer instanceof WordPiece wordPiece) || wordPiece.id(WordPiece.MASK).isEmpty()) {
                    throw new IllegalArgumentException("objective=mlm needs a tokenizer with " + WordPiece.MASK
                            + ": tokenize with tokenizer.kind=wordpiece");
                }
                int[] specials = WordPiece.SPECIAL_TOKENS.stream().map(wordPiece::id).filter(java.util.OptionalInt::isPresent)
                        .mapToInt(java.util.OptionalInt::getAsInt).toArray();
                yield new MaskedLmObjective(blockSize, o.integer("train.seed"), tokenizer.vocabSize(),
                        wordPiece.id(WordPiece.MASK).getAsInt(), specials);
            }
            case ClassificationObjective.NAME -> {
                int classes = requireRecords(name, manifest, true, 2).labels().size();
                yield new ClassificationObjective(classes, o.flag("classify.classWeights")
                        ? CrossEntropy.balancedClassWeights(labelCounts(train, classes)) : null);
            }
            case ContrastiveObjective.NAME -> {
                requireRecords(name, manifest, false, 2);
                yield new ContrastiveObjective(o.string("contrastive.similarity").equals("cosine"),
                        o.integerAtLeast("contrastive.candidates", 2));
            }
            case SupervisedFineTuning.NAME -> {
                requireRecords(name, manifest, false, SupervisedFineTuning.FIELDS);
                yield new SupervisedFineTuning(blockSize, endOfText(name, tokenizer), o.flag("sft.maskPrompt"));
            }
            case RewardObjective.NAME -> {
                requireRecords(name, manifest, false, RewardObjective.FIELDS);
                yield new RewardObjective(blockSize);
            }
            case DirectPreferenceOptimization.NAME -> {
                requireRecords(name, manifest, false, DirectPreferenceOptimization.PREFERENCE_FIELDS);
                yield new DirectPreferenceOptimization(blockSize, endOfText(name, tokenizer), o.numberIn("dpo.beta", 1e-6, 1e6));
            }
            case Seq2SeqObjective.NAME -> {
                requireRecords(name, manifest, false, 2);
                int end = endOfText(name, tokenizer);
                yield new Seq2SeqObjective(blockSize, end, end);
            }
            default -> throw new IllegalArgumentException("objective must be one of " + String.join(", ", OBJECTIVES) + ", got '" + name + "'");
        };
    }

    /**
     * DPO's reference stage: the reference is the saved GPT of {@code init.model} (required, the
     * policy starts from it too, so its shape must be this run's model.*), and train and val, records
     * of (prompt, chosen, rejected), become the same records with log π_ref(y_c|x) and log π_ref(y_r|x)
     * appended ({@link ReferenceLogProbs}); the unscored splits are released.
     *
     * @return the scored train and val
     */
    private static java.util.List<JavaRDD<int[]>> withReferenceLogProbs(Options o, JavaSparkContext sc, Tokenizer tokenizer, TrainingSpec spec,
                                                                         DirectPreferenceOptimization dpo, JavaRDD<int[]> train,
                                                                         JavaRDD<int[]> val) throws IOException {
        if (!o.isSet("init.model")) {
            throw new IllegalArgumentException("objective=dpo needs init.model=DIR, the saved GPT (a finetune or pretrain run's run.dir/model) "
                    + "that is the frozen reference and the policy's start");
        }
        Path dir = Path.of(o.string("init.model"));
        ModelDirectory.Loaded saved = ModelDirectory.load(dir);
        Gpt reference = saved.decoder("objective=dpo's init.model " + dir);
        saved.requireTokenizerOf("init.model", dir, tokenizer);
        ModelConfig policy = spec.model().config();
        if (!reference.config().withDropout(policy.dropout()).equals(policy)) {
            throw new IllegalArgumentException("objective=dpo starts the policy as the reference init.model " + dir + ", a GPT of "
                    + reference.config() + ", but model.* give " + policy + ": set model.* to the saved model's shape");
        }
        ReferenceLogProbs stage = new ReferenceLogProbs(sc, reference, dpo, spec.local().batchSize());
        java.util.List<JavaRDD<int[]>> scored = java.util.List.of(stage.appendTo(train), stage.appendTo(val));
        train.unpersist(false);
        val.unpersist(false);
        System.out.printf("dpo: reference log-probabilities of init.model %s, β = %s%n", dir, dpo.beta());
        return scored;
    }

    /** N_c over the training records, counted on the executors. */
    private static long[] labelCounts(JavaRDD<int[]> train, int classes) {
        return train.map(data -> ClassificationObjective.labelCounts(io.sparklm.objective.Examples.of(data), classes)).reduce((a, b) -> {
            long[] sum = a.clone();
            for (int c = 0; c < classes; c++) {
                sum[c] += b[c];
            }
            return sum;
        });
    }

    /** The names {@code objective=} accepts. */
    static final java.util.List<String> OBJECTIVES = java.util.List.of(CausalLmObjective.NAME, MaskedLmObjective.NAME,
            ClassificationObjective.NAME, ContrastiveObjective.NAME, Seq2SeqObjective.NAME, SupervisedFineTuning.NAME, RewardObjective.NAME,
            DirectPreferenceOptimization.NAME);

    private static int endOfText(String objective, Tokenizer tokenizer) {
        return tokenizer.endOfText().orElseThrow(() -> new IllegalArgumentException(
                "objective=" + objective + " needs a tokenizer with an end-of-text id to end its sequences"));
    }

    private static int requireBlocks(String objective, ShardManifest manifest) {
        if (manifest.holdsRecords()) {
            throw new IllegalArgumentException("objective=" + objective + " trains on token blocks, but these shards hold records of "
                    + manifest.records().fields() + ": tokenize a text corpus without data.fields");
        }
        return manifest.spec().blockSize();
    }

    private static io.sparklm.data.shard.RecordLayout requireRecords(String objective, ShardManifest manifest, boolean labelled, int fields) {
        if (!manifest.holdsRecords() || manifest.records().fields().size() != fields || (manifest.records().labelField() >= 0) != labelled) {
            String wanted = labelled ? "TEXT,LABEL data.labelField=LABEL" : fields == 3 ? "PROMPT,CHOSEN,REJECTED" : "A,B";
            throw new IllegalArgumentException("objective=" + objective + " trains on records of " + fields
                    + (labelled ? " fields, one a label" : " text fields") + ", but these shards hold "
                    + (manifest.holdsRecords() ? "records of " + manifest.records().fields() : "token blocks")
                    + "; tokenize with data.fields=" + wanted);
        }
        return manifest.records();
    }

    /** The pooled head of a classifier or contrastive model, null for the other families. */
    private static ModelSpec.PooledHead head(Options o, Objective objective) {
        return switch (objective.family()) {
            case CLASSIFIER -> ModelSpec.PooledHead.classes(choice(Pooling.Kind.class, "classify.pooling", o),
                    ((ClassificationObjective) objective).classes());
            case CONTRASTIVE -> new ModelSpec.PooledHead(choice(Pooling.Kind.class, "contrastive.pooling", o),
                    o.integerAtLeast("contrastive.projection", 0), o.flag("contrastive.twoTower"), o.flag("contrastive.learnTemperature"),
                    o.numberIn("contrastive.temperature", 1e-4, 100), o.string("contrastive.similarity").equals("cosine"));
            default -> null;
        };
    }

    static TrainingSpec spec(Options o, Tokenizer tokenizer, Objective objective, int blockSize) {
        int vocabSize = tokenizer.vocabSize();
        for (String key : new String[] {"model.layers", "model.heads", "model.width", "train.rounds", "train.localSteps", "train.batchSize",
                "train.exchangeChunk"}) {
            o.integerAtLeast(key, 1);
        }
        for (String key : new String[] {"model.hidden", "train.warmup", "train.scheduleSteps", "train.evalEvery", "train.evalBlocks",
                "train.checkpointEvery", "train.threads"}) {
            o.integerAtLeast(key, 0);
        }
        double lr = o.numberIn("train.lr", 0, Double.MAX_VALUE);
        o.numberIn("train.minLr", 0, lr);
        o.numberIn("train.clip", 0, Double.MAX_VALUE);
        o.numberIn("optimizer.weightDecay", 0, Double.MAX_VALUE);
        for (String key : new String[] {"optimizer.beta1", "optimizer.beta2", "optimizer.momentum", "outer.momentum"}) {
            o.numberIn(key, 0, 0.999999);
        }
        int width = o.integer("model.width");
        int hidden = o.integer("model.hidden") > 0 ? o.integer("model.hidden") : 4 * width;
        ModelConfig model = new ModelConfig(vocabSize, blockSize, o.integer("model.layers"), o.integer("model.heads"), width, hidden,
                o.number("model.dropout"), choice(Activation.class, "model.activation", o),
                choice(Block.Norm.class, "model.norm", o), choice(PositionalEncoding.Kind.class, "model.positions", o));
        long totalSteps = o.integer("train.scheduleSteps") > 0 ? o.integer("train.scheduleSteps")
                : (long) o.integer("train.rounds") * o.integer("train.localSteps");
        if (totalSteps <= o.integer("train.warmup")) {
            throw new IllegalArgumentException("the learning-rate schedule spans " + totalSteps + " steps (train.scheduleSteps, or train.rounds × "
                    + "train.localSteps), not more than train.warmup = " + o.integer("train.warmup") + ": lengthen the run or shorten the warmup");
        }
        OptimizerSpec optimizer = new OptimizerSpec(o.string("optimizer.kind"), o.number("optimizer.beta1"), o.number("optimizer.beta2"),
                1e-8, o.number("optimizer.weightDecay"), o.string("optimizer.kind").equals("sgd") ? o.number("optimizer.momentum") : 0);
        LocalTrainer.Settings local = new LocalTrainer.Settings(o.integer("train.batchSize"),
                Schedule.warmupCosine(o.number("train.lr"), o.integer("train.warmup"), totalSteps, o.number("train.minLr")),
                o.number("train.clip"), o.integer("train.seed"));
        return new TrainingSpec(new ModelSpec(objective.family(), model, head(o, objective)), objective, optimizer, local,
                o.integer("train.localSteps"), o.integer("train.threads"));
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String key, Options o) {
        String value = o.string(key).toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException(key + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT)
                + ", got '" + o.string(key) + "'");
    }

    /** Settings not named here change the trajectory, so a resumed run must repeat them. */
    private static final java.util.Set<String> FREE_ON_RESUME = java.util.Set.of("train.rounds", "train.evalEvery",
            "train.evalBlocks", "train.checkpointEvery", "train.threads", "train.exchangeChunk");

    /**
     * The settings a checkpoint records and a resume must match: all but run.*, spark.*, data.* and
     * {@link #FREE_ON_RESUME}, plus the learning-rate schedule they produce (so a longer
     * train.rounds is refused when it would bend the schedule; set train.scheduleSteps to keep it) and
     * the local steps of each round (which train.rounds moves once train.syncSteps or
     * train.localStepsGrowth is set).
     */
    private static Map<String, String> resumeSettings(Options o, TrainingSpec spec, LocalStepSchedule localSteps) {
        Map<String, String> settings = new java.util.TreeMap<>();
        o.effective().forEach((key, value) -> {
            if (!key.startsWith("run.") && !key.startsWith("spark.") && !key.startsWith("data.") && !FREE_ON_RESUME.contains(key)) {
                settings.put(key, value);
            }
        });
        settings.put("schedule", spec.local().schedule().toString());
        settings.put("localSteps", localSteps.describe());
        return settings;
    }

    /**
     * Round 0's state, or the latest checkpoint's with run.resume; {@code init.model} (a saved model
     * directory) starts the model from the tensors of the same name and shape it holds: a policy from a
     * pretrained GPT, a reward model's body from the fine-tuned policy's.
     */
    private static TrainerState startState(Options o, Checkpoints checkpoints, TrainingSpec spec, Map<String, String> settings,
                                           Tokenizer tokenizer) throws IOException {
        java.util.Optional<TrainerState> latest = checkpoints.loadLatest(spec, settings);
        if (o.flag("run.resume")) {
            return latest.orElseThrow(() -> new IllegalArgumentException("run.resume=true but " + checkpoints.root()
                    + " has no " + Checkpoints.LATEST + " checkpoint to resume from"));
        }
        if (latest.isPresent()) {
            throw new IllegalArgumentException(checkpoints.root() + " already holds checkpoints (round " + latest.get().round()
                    + "): pass run.resume=true to continue that run, or choose another run.dir");
        }
        Model model = spec.model().build(spec.local().seed());
        if (o.isSet("init.model")) {
            Path dir = Path.of(o.string("init.model"));
            int loaded = ModelDirectory.initialise(dir, model, tokenizer);
            System.out.printf("pretrain: %d of %d parameter tensors from %s, the others initialised%n", loaded,
                    model.parameters().all().size(), dir);
        }
        return TrainerState.initial(model.parameters().flatten());
    }

    /** Prints the validation scores and writes them to {@code run.dir/eval.json}. */
    private static void writeScores(RunFiles files, String runDir, TrainingSpec spec, Scores scores) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        json.put("objective", spec.objective().name());
        StringBuilder line = new StringBuilder("eval:");
        scores.figures().forEach((name, value) -> {
            json.put(name, value);
            line.append(String.format(Locale.ROOT, " %s %.4f", name, value));
        });
        System.out.println(line);
        if (!scores.report().isEmpty()) {
            System.out.println(scores.report());
            json.put("report", scores.report());
        }
        files.writeStringAtomically(new org.apache.hadoop.fs.Path(files.qualify(runDir), "eval.json"), json.toPrettyString() + "\n");
    }

    /** Writes {@code run.dir/model/} for {@code eval} and {@code generate} when run.dir is local. */
    private static void saveFinalModel(RunFiles files, String runDir, Model model, Tokenizer tokenizer) throws IOException {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(files.qualify(runDir), "model");
        if (dir.toUri().getScheme().equals("file")) {
            ModelDirectory.save(Path.of(dir.toUri()), model, tokenizer);
            System.out.println("saved the final model in " + dir);
        } else {
            System.out.println("the final model is the last checkpoint under " + new org.apache.hadoop.fs.Path(files.qualify(runDir), "checkpoints")
                    + " (eval and generate read a local copy of it)");
        }
    }

    private static void printSamples(Options o, Gpt model, Tokenizer tokenizer) {
        if (o.integer("run.samples") <= 0) {
            return;
        }
        Generator generator = new Generator(model);
        Rng rng = new Rng(o.integer("train.seed"));
        int[] prompt = tokenizer.encode(o.string("run.prompt"));
        for (int i = 0; i < o.integer("run.samples"); i++) {
            int[] sample = generator.generate(prompt, o.integer("run.sampleTokens"), 0.8, 20, rng);
            System.out.println("--- sample " + (i + 1) + " ---\n" + tokenizer.decode(sample));
        }
    }
}
