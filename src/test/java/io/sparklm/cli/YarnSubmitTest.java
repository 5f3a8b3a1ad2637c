package io.sparklm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MiniYARNCluster (a ResourceManager and a NodeManager in this JVM, containers in processes of
 * their own), as Spark's YarnClusterSuite sets one up, and target/sparklm.jar submitted to it through
 * submit/spark-submit-yarn.sh in cluster deploy mode with a --config file: the driver runs in the
 * ApplicationMaster's container and reads the copy that --files shipped into its working directory;
 * two one-core executors train. Spark's jars come from the distribution's jars/ on the node
 * ({@code spark.yarn.jars=local:…}, as on a cluster with Spark installed). Run by the surefire
 * execution {@code submit-tests}, which sets JAVA_HOME for the containers.
 *
 * <p>The distribution is Spark 4.2.0 (src/test/yarn-distribution/pom.xml): Maven Central serves no
 * spark-yarn 4.1.x, and neither spark-yarn 4.0.1 nor 4.2.0 links against Spark 4.1.0's core. So
 * this proves sparklm.jar, built against Spark 4.1.0, on a Spark 4.2.0 YARN deployment.
 */
class YarnSubmitTest {
    @Test
    void pretrainInClusterModeReadsTheShippedConfigAndTrainsOnTwoExecutors(@TempDir Path dir) throws Exception {
        YarnConfiguration conf = new YarnConfiguration();
        conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
        conf.set(YarnConfiguration.NM_ADDRESS, "127.0.0.1:0");
        conf.set("yarn.nodemanager.hostname", "127.0.0.1");
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 4096);
        conf.setInt(YarnConfiguration.NM_VCORES, 4);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
        conf.set("yarn.scheduler.capacity.maximum-am-resource-percent", "1.0");
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        MiniYARNCluster yarn = new MiniYARNCluster("sparklm", 1, 1, 1);
        // The NodeManager runs containers as children of this JVM: those still alive at the end are ended by pid.
        java.util.Set<Long> earlier = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(java.util.stream.Collectors.toSet());
        List<Path> sparkJars = SparkDistribution.resolveSparkJars(SparkDistribution.ROOT.resolve("src/test/yarn-distribution/pom.xml"),
                Files.createDirectories(dir.resolve("maven")));
        try (SparkDistribution spark = new SparkDistribution(dir, sparkJars, Map.of(
                "spark.ui.enabled", "false",
                "spark.yarn.jars", "local:" + dir.resolve("spark/jars") + "/*",
                "spark.yarn.stagingDir", dir.resolve("staging").toUri().toString(),
                "spark.yarn.appMasterEnv.SPARK_LOCAL_IP", "127.0.0.1",
                "spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1",
                "spark.yarn.am.memory", "256m",
                "spark.executor.memoryOverhead", "256m",
                "spark.driver.memoryOverhead", "256m"))) {
            Path shards = dir.resolve("data");
            SparkDistribution.Submission tokenize = spark.launchLocalTokenize(dir, shards);
            yarn.init(conf);
            yarn.start();
            Path yarnConf = Files.createDirectories(dir.resolve("yarn-conf"));
            awaitResourceManagerAddress(yarn);
            try (OutputStream out = Files.newOutputStream(yarnConf.resolve("yarn-site.xml"))) {
                yarn.getConfig().writeXml(out);
            }
            spark.await(tokenize);

            Path caller = Files.createDirectories(dir.resolve("caller"));
            Path runDir = dir.resolve("yarn-run");
            SparkDistribution.writePretrainConfig(caller.resolve("conf/pretrain-yarn.yaml"), shards, runDir);
            spark.await(spark.launch("pretrain-yarn", caller, Map.of("YARN_CONF_DIR", yarnConf.toString(),
                            "SPARKLM_EXECUTORS", "2", "SPARKLM_EXECUTOR_CORES", "1",
                            "SPARKLM_EXECUTOR_MEMORY", "512m", "SPARKLM_DRIVER_MEMORY", "768m"),
                    "spark-submit-yarn.sh", "pretrain", "--config", "conf/pretrain-yarn.yaml"));
            SparkDistribution.assertCompleteRun(runDir);
            assertEquals(3, containers(yarn), "the ApplicationMaster (driver) and two executors");
        } finally {
            yarn.stop();
            ProcessHandle.current().descendants().filter(p -> !earlier.contains(p.pid())).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The containers the NodeManager ran, counted by their log directories. */
    private static long containers(MiniYARNCluster yarn) throws java.io.IOException {
        long n = 0;
        for (String logDir : yarn.getNodeManager(0).getConfig().getTrimmedStrings(YarnConfiguration.NM_LOG_DIRS)) {
            try (java.util.stream.Stream<Path> s = Files.walk(Path.of(logDir), 2)) {
                n += s.filter(p -> p.getFileName().toString().startsWith("container_")).count();
            }
        }
        return n;
    }

    /** MiniYARNCluster's start() can return before the ResourceManager has published its port. */
    private static void awaitResourceManagerAddress(MiniYARNCluster yarn) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS, ":0").endsWith(":0")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the ResourceManager published no address within 30 s");
            }
            Thread.sleep(100);
        }
    }
}
