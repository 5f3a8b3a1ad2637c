package io.sparklm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.LocalSpark;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparklm tokenize} then {@code pretrain} then resume, on the local file system and on HDFS. */
class PipelineTest {
    @TempDir
    static Path base;
    private static MiniDFSCluster hdfs;

    @BeforeAll
    static void start() throws IOException {
        LocalSpark.get();
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        hdfs = new MiniDFSCluster.Builder(conf, base.resolve("hdfs").toFile()).numDataNodes(1).build();
        hdfs.waitActive();
    }

    @AfterAll
    static void stop() {
        hdfs.shutdown();
    }

    /** Lines of a small language: "the cat sat on the mat." and its variations. */
    static String corpus() {
        String[] subjects = {"the cat", "a dog", "the bird", "my friend"};
        String[] verbs = {"sat on", "looked at", "ran to", "slept near"};
        String[] objects = {"the mat.", "a tree.", "the house.", "the river."};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            lines.add(subjects[i % 4] + " " + verbs[(i / 4) % 4] + " " + objects[(i / 16) % 4]);
        }
        return String.join("\n", lines) + "\n";
    }

    private static String[] pretrainArgs(String shards, String run, int rounds, String... extra) {
        List<String> args = new ArrayList<>(List.of("pretrain", "data.shards=" + shards, "run.dir=" + run,
                "model.layers=1", "model.heads=2", "model.width=32", "train.workers=2", "train.rounds=" + rounds,
                "train.localSteps=15", "train.batchSize=8", "train.lr=1e-2", "train.warmup=5", "train.scheduleSteps=90", "train.evalEvery=2",
                "train.checkpointEvery=2", "run.sampleTokens=20", "run.prompt=the"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static double lastValLoss(String metricsJsonl) {
        String[] rows = metricsJsonl.trim().split("\n");
        String last = rows[rows.length - 1];
        return Double.parseDouble(last.replaceAll(".*\"val_loss\":([0-9.Ee-]+).*", "$1"));
    }

    @Test
    void tokenizePretrainAndResumeOnTheLocalFileSystem() throws IOException {
        Path corpus = Files.writeString(base.resolve("corpus.txt"), corpus());
        String out = base.resolve("out").toString();
        String run = base.resolve("run").toString();
        MainTest.Outcome tok = MainTest.run("tokenize", "data.input=" + corpus, "data.output=" + out, "shards.blockSize=16");
        assertEquals(0, tok.status(), tok.err());
        assertTrue(Files.exists(Path.of(out, "shards/manifest.json")));

        MainTest.Outcome first = MainTest.run(pretrainArgs(out, run, 4));
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().contains("round 4/4"), first.out());
        assertEquals("round-000004", Files.readString(Path.of(run, "checkpoints/LATEST")).trim());
        assertTrue(Files.exists(Path.of(run, "loss.png")));
        double val = lastValLoss(Files.readString(Path.of(run, "metrics.jsonl")));
        assertTrue(val < 1.6, "validation loss after 4 rounds: " + val + " (uniform over the ~25 characters: about 3.2)");

        MainTest.Outcome again = MainTest.run(pretrainArgs(out, run, 6));
        assertEquals(2, again.status());
        assertTrue(again.err().contains("run.resume=true"), again.err());

        MainTest.Outcome otherLr = MainTest.run(pretrainArgs(out, run, 6, "run.resume=true", "train.lr=5e-3"));
        assertEquals(2, otherLr.status());
        assertTrue(otherLr.err().contains("train.lr (checkpoint: 1e-2, this run: 5e-3)"), otherLr.err());

        MainTest.Outcome resumed = MainTest.run(pretrainArgs(out, run, 6, "run.resume=true"));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("from round 4") && resumed.out().contains("round 6/6"), resumed.out());
        assertEquals(6, Files.readAllLines(Path.of(run, "metrics.jsonl")).size());

        MainTest.Outcome eval = MainTest.run("eval", "--model", Path.of(run, "model").toString(), "--text", corpus.toString(), "--blocks", "5");
        assertEquals(0, eval.status(), eval.err());
    }

    @Test
    void corpusShardsAndCheckpointsOnHdfs() throws IOException {
        FileSystem fs = hdfs.getFileSystem();
        String root = hdfs.getURI() + "/user/sparklm";
        try (OutputStream o = fs.create(new org.apache.hadoop.fs.Path(root + "/corpus/part-0.txt"))) {
            o.write(corpus().getBytes(StandardCharsets.UTF_8));
        }
        MainTest.Outcome tok = MainTest.run("tokenize", "data.input=" + root + "/corpus", "data.output=" + root + "/out", "shards.blockSize=16");
        assertEquals(0, tok.status(), tok.err());
        MainTest.Outcome first = MainTest.run(pretrainArgs(root + "/out", root + "/run", 2));
        assertEquals(0, first.status(), first.err());
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(root + "/run/checkpoints/round-000002/model.safetensors")));
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(root + "/run/metrics.jsonl")));
        MainTest.Outcome resumed = MainTest.run(pretrainArgs(root + "/out", root + "/run", 3, "run.resume=true"));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("round 3/3"), resumed.out());
    }

    @Test
    void unknownSettingsAndMissingInputsAreErrorsNamingThem() {
        MainTest.Outcome unknown = MainTest.run("pretrain", "train.roundz=3");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("train.roundz"), unknown.err());
        MainTest.Outcome missing = MainTest.run("tokenize", "data.input=" + base.resolve("nope.txt"), "data.output=" + base.resolve("x"));
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("nope.txt"), missing.err());
    }
}
