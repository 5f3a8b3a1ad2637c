package io.sparklm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spark standalone Master and Worker, each its own JVM started from a SPARK_HOME made of this
 * build's jars, and target/sparklm.jar submitted to them as a user would: tokenize through
 * submit/spark-submit-local.sh, then, at the same time, pretrain through
 * submit/spark-submit-standalone.sh in client and in cluster deploy mode, each with a --config file
 * named relative to the caller's directory and two one-core executors. Run by the surefire
 * execution {@code submit-tests}.
 */
class StandaloneSubmitTest {
    @Test
    void pretrainWithAConfigFileRunsOnTwoExecutorsInClientAndClusterMode(@TempDir Path dir) throws Exception {
        int masterPort = SparkDistribution.freePort();
        int masterUi = SparkDistribution.freePort();
        String master = "spark://127.0.0.1:" + masterPort;
        try (SparkDistribution spark = new SparkDistribution(dir, SparkDistribution.buildSparkJars(), Map.of("spark.ui.enabled", "false"))) {
            Path shards = dir.resolve("data");
            SparkDistribution.Submission tokenize = spark.launchLocalTokenize(dir, shards);
            spark.startDaemon("master", "256m", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUi));
            Path work = Files.createDirectories(dir.resolve("work"));
            // 5 cores: two executors of one core for each run, and one for the cluster-mode driver.
            spark.startDaemon("worker", "256m", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", "5", "--memory", "4g", "--work-dir", work.toString(), "--webui-port", "0", master);
            awaitAliveWorker(spark, masterUi);
            spark.await(tokenize);

            Map<String, String> client = Map.of("SPARK_MASTER_URL", master, "SPARKLM_EXECUTORS", "2",
                    "SPARKLM_EXECUTOR_CORES", "1", "SPARKLM_TASK_CPUS", "1",
                    "SPARKLM_EXECUTOR_MEMORY", "512m", "SPARKLM_DRIVER_MEMORY", "768m");
            Map<String, String> cluster = new java.util.HashMap<>(client);
            cluster.put("SPARKLM_DEPLOY_MODE", "cluster");
            // The caller's directory holds conf/; the driver of client mode runs there, the one of cluster mode on the worker.
            Path caller = Files.createDirectories(dir.resolve("caller"));
            Path clientRun = dir.resolve("client-run");
            Path clusterRun = dir.resolve("cluster-run");
            SparkDistribution.writePretrainConfig(caller.resolve("conf/pretrain-client.yaml"), shards, clientRun);
            SparkDistribution.writePretrainConfig(caller.resolve("conf/pretrain-cluster.yaml"), shards, clusterRun);
            SparkDistribution.Submission clientMode = spark.launch("pretrain-client", caller, client, "spark-submit-standalone.sh",
                    "pretrain", "--config", "conf/pretrain-client.yaml");
            SparkDistribution.Submission clusterMode = spark.launch("pretrain-cluster", caller, cluster, "spark-submit-standalone.sh",
                    "pretrain", "--config", "conf/pretrain-cluster.yaml");
            String out = spark.await(clientMode);
            assertTrue(out.contains("2 workers"), SparkDistribution.tail(out));
            SparkDistribution.assertCompleteRun(clientRun);
            spark.await(clusterMode);
            SparkDistribution.assertCompleteRun(clusterRun);

            assertEquals(2, count(work, "app-"), "the two pretrain runs, each an application");
            try (Stream<Path> apps = Files.list(work)) {
                for (Path app : apps.filter(p -> p.getFileName().toString().startsWith("app-")).toList()) {
                    try (Stream<Path> executors = Files.list(app)) {
                        assertEquals(2, executors.count(), app + " should have run two executors");
                    }
                }
            }
            assertEquals(1, count(work, "driver-"), "the cluster-mode driver ran on the worker");
        }
    }

    private static long count(Path dir, String prefix) throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }

    /** Polls the Master's JSON status page until one worker is ALIVE (at most 60 s). */
    private static void awaitAliveWorker(SparkDistribution spark, int masterUi) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUi + "/json/"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                if (new ObjectMapper().readTree(body).path("aliveworkers").asInt() == 1) {
                    return;
                }
            } catch (java.io.IOException e) {
                // the Master is still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no worker registered with the Master within 60 s:\n" + SparkDistribution.tail(spark.log("master"))
                + "\n" + SparkDistribution.tail(spark.log("worker")));
    }
}
