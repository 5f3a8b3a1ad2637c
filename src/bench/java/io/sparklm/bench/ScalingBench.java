package io.sparklm.bench;

import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.optim.OuterOptimizer;
import io.sparklm.optim.Schedule;
import io.sparklm.train.LocalTrainer;
import io.sparklm.train.OptimizerSpec;
import io.sparklm.train.RoundReport;
import io.sparklm.train.SparkTrainer;
import io.sparklm.train.TrainerState;
import io.sparklm.train.TrainingSpec;
import io.sparklm.train.WorkerStates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Parameter-averaging scaling on one machine (Spark local mode, one core per task), on the
 * benchmark GPT (4 layers, 4 heads, width 128, block 64, batch 12, AdamW lr 1e-3):
 * <ul>
 *   <li>tokens/s of 1 and of 2 workers at H = 50 and their ratio, and the share of round time
 *       spent outside local steps with 2 workers;</li>
 *   <li>validation loss of 2 workers (H = 10, average) against 1 worker after the same total
 *       number of training tokens. The averaged update of 2 workers is close to one step on a
 *       batch twice as large, so they use twice the learning rate (the linear scaling rule, Goyal
 *       et al. 2017); {@code val_2_same_lr} is the same run at the single worker's rate.</li>
 * </ul>
 * Usage: {@code ScalingBench CORPUS [TOTAL_STEPS]} (worker-steps of the quality comparison,
 * default 1000). Prints one {@code key: value} figure per line.
 */
public final class ScalingBench {
    private static final int BATCH = 12;
    private static final int BLOCK = 64;
    private static final double LR = 1e-3;

    private ScalingBench() {
    }

    public static void main(String[] args) throws Exception {
        int totalSteps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        BenchmarkCorpus corpus = BenchmarkCorpus.read(Path.of(args[0]));
        int[] val = corpus.val();
        int valBlocks = 200 * (BLOCK + 1);

        SparkSession spark = SparkSession.builder().master("local[2]").appName("sparklm scaling bench")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ModelConfig model = ModelConfig.gpt(corpus.tokenizer().vocabSize(), BLOCK, 4, 4, 128);
        JavaRDD<int[]> valRdd = sc.parallelize(List.of(Arrays.copyOf(val, valBlocks)), 1).cache();

        Run one = run(sc, model, corpus.trainShards(sc, 1), null, 50, 4, LR);
        Run two = run(sc, model, corpus.trainShards(sc, 2), null, 50, 4, LR);
        System.out.printf("tokens_per_second_1: %.1f%n", one.tokensPerSecond);
        System.out.printf("tokens_per_second_2: %.1f%n", two.tokensPerSecond);
        System.out.printf("speedup_2: %.3f%n", two.tokensPerSecond / one.tokensPerSecond);
        System.out.printf("overhead_2: %.4f%n", two.overhead);

        Run quality1 = run(sc, model, corpus.trainShards(sc, 1), valRdd, 10, totalSteps / 10, LR);
        Run quality2 = run(sc, model, corpus.trainShards(sc, 2), valRdd, 10, totalSteps / 20, 2 * LR);
        Run quality2SameLr = run(sc, model, corpus.trainShards(sc, 2), valRdd, 10, totalSteps / 20, LR);
        System.out.printf("val_1: %.4f%n", quality1.valLoss);
        System.out.printf("val_2: %.4f%n", quality2.valLoss);
        System.out.printf("val_2_same_lr: %.4f%n", quality2SameLr.valLoss);
        System.out.printf("tokens_1: %.0f%ntokens_2: %.0f%n", quality1.tokens, quality2.tokens);
        spark.stop();
    }

    private record Run(double tokensPerSecond, double overhead, double valLoss, double tokens) {
    }

    /** {@code rounds} rounds; speed and overhead are taken over all but the first (JIT warm-up). */
    private static Run run(JavaSparkContext sc, ModelConfig model, JavaRDD<int[]> shards, JavaRDD<int[]> val,
                           int localSteps, int rounds, double lr) throws Exception {
        TrainingSpec spec = TrainingSpec.causalLm(model, OptimizerSpec.adamW(0.9, 0.99, 0.1),
                new LocalTrainer.Settings(BATCH, Schedule.constant(lr), 1.0, 1337), localSteps, 0);
        List<RoundReport> reports = new ArrayList<>();
        TrainerState start = TrainerState.initial(new Gpt(model, 1337).parameters().flatten());
        try (ScratchDirectory dir = new ScratchDirectory("sparklm-bench")) {
            WorkerStates states = new WorkerStates(dir.uri(), sc.hadoopConfiguration());
            new SparkTrainer(sc, spec, new SparkTrainer.Settings(rounds, 0), OuterOptimizer.average(), states)
                    .run(shards, val, start, (report, state) -> reports.add(report));
        }
        List<RoundReport> timed = reports.subList(1, reports.size());
        double tokens = timed.stream().mapToDouble(r -> r.tokensPerSecond() * r.seconds()).sum();
        double seconds = timed.stream().mapToDouble(RoundReport::seconds).sum();
        double overhead = timed.stream().mapToDouble(RoundReport::overhead).average().orElse(Double.NaN);
        RoundReport last = reports.get(reports.size() - 1);
        System.err.println(last.logLine());
        return new Run(tokens / seconds, overhead, last.valLoss(), last.tokens());
    }
}
