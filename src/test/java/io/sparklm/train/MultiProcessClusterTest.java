package io.sparklm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.optim.OuterOptimizer;
import io.sparklm.optim.Schedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two executors in their own JVMs ({@code local-cluster[2,1,1024]}, run by the surefire
 * execution {@code cluster-tests} in a JVM of its own): training reaches a loss bound, and
 * killing one executor's JVM a third of the way into a round's local steps still completes the run with exactly the
 * parameters of an undisturbed run (task retry + RNGs seeded by round, partition and step).
 */
class MultiProcessClusterTest {
    private static final ModelConfig MODEL = ModelConfig.gpt(12, 16, 2, 2, 32);
    private static final TrainingSpec SPEC = TrainingSpec.causalLm(MODEL, OptimizerSpec.adamW(0.9, 0.99, 0.0),
            new LocalTrainer.Settings(8, Schedule.constant(1e-2), 1.0, 21), 25, 1);
    private static SparkSession spark;

    @BeforeAll
    static void startCluster() throws Exception {
        String testHome = System.getProperty("spark.test.home");
        Assumptions.assumeTrue(testHome != null, "runs in the surefire execution 'cluster-tests', which sets spark.test.home");
        Path home = Path.of(testHome);
        for (String dir : List.of("jars", "assembly/target/scala-2.13/jars", "launcher/target/scala-2.13/classes")) {
            Files.createDirectories(home.resolve(dir));
        }
        String opens = String.join(" ", "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED");
        spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("sparklm-cluster-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", opens)
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
    }

    @AfterAll
    static void stopCluster() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static TrainerState run(Path runDir, SparkTrainer.RoundListener listener) throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<int[]> shards = sc.parallelize(List.of(SparkTrainerTest.randomTokens(31, 2000, 12),
                SparkTrainerTest.randomTokens(32, 2000, 12)), 2);
        TrainerState start = TrainerState.initial(new Gpt(MODEL, 4).parameters().flatten());
        WorkerStates states = new WorkerStates(runDir.toUri().toString(), sc.hadoopConfiguration());
        return new SparkTrainer(sc, SPEC, new SparkTrainer.Settings(4, 2, 0, 1000), OuterOptimizer.average(), states)
                .run(shards, shards, start, listener);
    }

    /** The executor JVMs: the only Java processes this JVM starts (their command lines are too long to read back whole). */
    private static List<ProcessHandle> executors() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().command().orElse("").endsWith("/bin/java"))
                .toList();
    }

    @Test
    void twoExecutorJvmsTrainToTheBoundAndSurviveAKilledExecutor(@TempDir Path undisturbedRun, @TempDir Path disturbedRun) throws Exception {
        List<Double> valLosses = new ArrayList<>();
        TrainerState undisturbed = run(undisturbedRun, (report, state) -> {
            if (!Double.isNaN(report.valLoss())) {
                valLosses.add(report.valLoss());
            }
        });
        assertEquals(2, executors().size(), "local-cluster should run two executor JVMs");
        double last = valLosses.get(valLosses.size() - 1);
        assertTrue(last < 1.3, "validation loss " + last + " (uniform ln 12 = 2.48, floor ≈ 0.5)");

        AtomicLong killed = new AtomicLong(-1);
        AtomicLong lostTasks = new AtomicLong();
        AtomicLong killDelayMillis = new AtomicLong(-1);
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                long delay = killDelayMillis.getAndSet(-1);
                if (delay < 0) {
                    return;
                }
                Thread killer = new Thread(() -> {
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        return;
                    }
                    Optional<ProcessHandle> victim = executors().stream().findFirst();
                    victim.ifPresent(p -> {
                        killed.set(p.pid());
                        p.destroyForcibly();
                    });
                });
                killer.setDaemon(true);
                killer.start();
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful()) {
                    lostTasks.incrementAndGet();
                }
            }
        });
        TrainerState disturbed = run(disturbedRun, (report, state) -> {
            if (report.round() == 2) {
                killDelayMillis.set(Math.max(100, (long) (report.computeSeconds() * 1000 / 3)));
            }
        });
        assertTrue(killed.get() > 0, "no executor JVM was killed");
        assertTrue(lostTasks.get() > 0, "the kill should have failed a running task, which Spark then retried");
        assertArrayEquals(undisturbed.parameters(), disturbed.parameters(), 0f);
        assertEquals(undisturbed.tokens(), disturbed.tokens(), 0);
        assertEquals(undisturbed.workerStates(), disturbed.workerStates(), "the workers' optimizer states, by SHA-256");
    }
}
