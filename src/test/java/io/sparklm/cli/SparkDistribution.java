package io.sparklm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Spark distribution as a user installs one, made of jars Maven resolved: {@code jars/} links
 * the jars of Spark, Hadoop's client and their dependencies, {@code bin/spark-submit} runs
 * {@code org.apache.spark.deploy.SparkSubmit}, {@code conf/spark-defaults.conf} holds the given
 * settings. It starts processes (daemons, submissions) and, on {@link #close()}, ends each of them
 * and every process under it, by pid, whether the test passed or not.
 */
final class SparkDistribution implements AutoCloseable {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path JAR = Path.of(System.getProperty("sparklm.jar", "target/sparklm.jar")).toAbsolutePath();
    private static final String JVM_FLAGS = String.join(" ", "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED");
    private static final String SPARK_SUBMIT = """
            #!/usr/bin/env bash
            # SparkSubmit on this distribution's jars, as bin/spark-submit of a Spark release runs it:
            # the driver JVM of client mode, with --driver-memory as its heap.
            HEAP=1g
            ARGS=("$@")
            for ((i = 0; i < ${#ARGS[@]} - 1; i++)); do
              [ "${ARGS[i]}" = --driver-memory ] && HEAP="${ARGS[i+1]}"
            done
            CP="$SPARK_HOME/conf${HADOOP_CONF_DIR:+:$HADOOP_CONF_DIR}${YARN_CONF_DIR:+:$YARN_CONF_DIR}:$SPARK_HOME/jars/*"
            exec "$JAVA_HOME/bin/java" -Xmx"$HEAP" %s -cp "$CP" org.apache.spark.deploy.SparkSubmit "$@"
            """.formatted(JVM_FLAGS);

    final Path home;
    private final Path logs;
    private final List<Process> started = Collections.synchronizedList(new ArrayList<>());

    SparkDistribution(Path dir, List<Path> sparkJars, Map<String, String> defaults) throws IOException {
        home = Files.createDirectories(dir.resolve("spark"));
        logs = Files.createDirectories(dir.resolve("logs"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (Path jar : sparkJars) {
            Path link = jars.resolve(jar.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, jar);
            }
        }
        Files.writeString(home.resolve("RELEASE"), "Spark (test distribution of " + sparkJars.size() + " jars)\n");
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.writeString(bin.resolve("spark-submit"), SPARK_SUBMIT);
        Files.setPosixFilePermissions(bin.resolve("spark-submit"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = Files.createDirectories(home.resolve("conf"));
        StringBuilder sb = new StringBuilder();
        defaults.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
        Files.writeString(conf.resolve("spark-defaults.conf"), sb.toString());
        Files.copy(ROOT.resolve("conf/log4j2.properties"), conf.resolve("log4j2.properties"));
    }

    /** The jars of Spark 4.1.0, the version sparklm builds against: target/spark-classpath.txt and target/spark-extra-classpath.txt. */
    static List<Path> buildSparkJars() throws IOException {
        return jarsListed(ROOT.resolve("target/spark-classpath.txt"), ROOT.resolve("target/spark-extra-classpath.txt"));
    }

    /**
     * The jars of the distribution that {@code pom} declares, resolved by Maven
     * ({@code dependency:build-classpath}; from the local repository once downloaded).
     */
    static List<Path> resolveSparkJars(Path pom, Path dir) throws Exception {
        Path listing = dir.resolve("classpath.txt");
        List<String> command = new ArrayList<>(List.of(System.getProperty("sparklm.maven", "mvn"), "-B", "-ntp", "-q", "-f",
                pom.toString(), "dependency:build-classpath", "-Dmdep.outputFile=" + listing));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("maven.log").toFile()).start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS) && p.exitValue() == 0, "resolving " + pom + " failed:\n"
                + tail(Files.readString(dir.resolve("maven.log"))));
        return jarsListed(listing);
    }

    private static List<Path> jarsListed(Path... listings) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (Path listing : listings) {
            for (String jar : Files.readString(listing).strip().split(java.io.File.pathSeparator)) {
                jars.add(Path.of(jar));
            }
        }
        return jars;
    }

    /** The environment of every process: SPARK_HOME, the JDK, and loopback addresses only. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
        env.put("SPARKLM_JAR", JAR.toString());
        return env;
    }

    /** Starts a JVM of {@code mainClass} on the distribution's jars; its output goes to logs/NAME.log. */
    Process startDaemon(String name, String heap, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-Xmx" + heap));
        command.addAll(List.of(JVM_FLAGS.split(" ")));
        command.addAll(List.of("-cp", home.resolve("conf") + ":" + home.resolve("jars") + "/*", mainClass));
        command.addAll(List.of(args));
        return start(name, command, ROOT, Map.of());
    }

    /** A wrapper's run: its name (and log) and process. */
    record Submission(String name, Process process, long startNanos) {
    }

    /** Starts {@code submit/WRAPPER args} in {@code workingDir} with the extra environment. */
    Submission launch(String name, Path workingDir, Map<String, String> env, String wrapper, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("submit").resolve(wrapper).toString()));
        command.addAll(List.of(args));
        return new Submission(name, start(name, command, workingDir, env), System.nanoTime());
    }

    /** Waits for a submission (at most 240 s), asserts exit status 0 and returns its output. */
    String await(Submission s) throws Exception {
        boolean done = s.process().waitFor(240, TimeUnit.SECONDS);
        System.out.printf("%s: %.1f s%n", s.name(), (System.nanoTime() - s.startNanos()) / 1e9);
        String out = log(s.name());
        assertTrue(done, s.name() + " did not finish within 240 s:\n" + tail(out));
        assertEquals(0, s.process().exitValue(), s.name() + " failed:\n" + tail(out));
        return out;
    }

    String log(String name) throws IOException {
        Path file = logs.resolve(name + ".log");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private Process start(String name, List<String> command, Path workingDir, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        pb.environment().putAll(environment());
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    static String tail(String text) {
        return text.length() <= 6000 ? text : "…" + text.substring(text.length() - 6000);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Ends every process started here and all of their descendants (executors, drivers, containers), by pid. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        synchronized (started) {
            for (Process p : started) {
                p.descendants().forEach(all::add);
                all.add(p.toHandle());
            }
        }
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("process " + h.pid() + " did not end", e);
            }
        }
    }

    /** A small text corpus: enough lines of English for a character tokenizer and blocks of 16. */
    static Path writeCorpus(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        String[] lines = {"the quick brown fox jumps over the lazy dog", "a stitch in time saves nine",
                "to be or not to be, that is the question", "all that glitters is not gold"};
        for (int i = 0; i < 240; i++) {
            sb.append(lines[i % lines.length]).append(' ').append(i).append('\n');
        }
        return Files.writeString(dir.resolve("corpus.txt"), sb.toString());
    }

    /** Starts tokenize of {@link #writeCorpus} into {@code shards} in Spark local mode (submit/spark-submit-local.sh, two cores). */
    Submission launchLocalTokenize(Path dir, Path shards) throws IOException {
        return launch("tokenize", dir, Map.of("SPARKLM_CORES", "2"), "spark-submit-local.sh", "tokenize",
                "data.input=" + writeCorpus(dir).toUri(), "data.output=" + shards.toUri(), "shards.blockSize=16");
    }

    /** A pretrain config of a tiny model on two workers for two rounds, with data.shards and run.dir. */
    static Path writePretrainConfig(Path file, Path shards, Path runDir) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, """
                data:
                  shards: %s
                run:
                  dir: %s
                  samples: 0
                  prompt: the
                model:
                  layers: 1
                  heads: 2
                  width: 16
                train:
                  workers: 2
                  rounds: 2
                  localSteps: 3
                  batchSize: 4
                  warmup: 1
                  evalEvery: 1
                  evalBlocks: 8
                  checkpointEvery: 1
                """.formatted(shards.toUri(), runDir.toUri()));
    }

    /** The run wrote a checkpoint per round with LATEST at the last, two rows of metrics, and the final model. */
    static void assertCompleteRun(Path runDir) throws IOException {
        assertEquals("round-000002", Files.readString(runDir.resolve("checkpoints/LATEST")).strip());
        for (String file : List.of("model.safetensors", "optimizer.safetensors", "state.json")) {
            assertTrue(Files.size(runDir.resolve("checkpoints/round-000002").resolve(file)) > 0, file);
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            rows.add(json.readTree(line));
        }
        assertEquals(2, rows.size(), "one metrics row per round");
        for (JsonNode row : rows) {
            assertTrue(Double.isFinite(row.get("train_loss").asDouble()), row.toString());
            assertTrue(row.get("bytes_in_per_worker").asLong() > 0 && row.get("bytes_out_per_worker").asLong() > 0, row.toString());
        }
        assertEquals(2, rows.get(1).get("round").asInt());
        assertTrue(Files.size(runDir.resolve("model/model.safetensors")) > 0);
        assertTrue(Files.size(runDir.resolve("model/tokenizer.json")) > 0);
        try (Stream<Path> states = Files.list(runDir.resolve("worker-state/round-000002"))) {
            assertEquals(2, states.filter(p -> p.getFileName().toString().endsWith(".safetensors")).count(), "one state per worker");
        }
    }
}
