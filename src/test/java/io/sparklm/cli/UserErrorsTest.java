package io.sparklm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input answers in the user's words: the file and line, the key as written, the path and the fix. */
class UserErrorsTest {
    @TempDir
    static Path base;
    private static String shards;

    @BeforeAll
    static void tokenize() throws IOException {
        LocalSpark.get();
        Path corpus = Files.writeString(base.resolve("corpus.txt"), PipelineTest.corpus());
        shards = base.resolve("shards").toString();
        MainTest.Outcome tok = MainTest.run("tokenize", "data.input=" + corpus, "data.output=" + shards, "shards.blockSize=16");
        assertEquals(0, tok.status(), tok.err());
    }

    private static MainTest.Outcome pretrain(String... extra) {
        String[] args = Stream.concat(Stream.of("pretrain", "data.shards=" + shards, "run.dir=" + base.resolve("run"),
                "model.layers=1", "model.heads=2", "model.width=16", "train.rounds=1", "train.localSteps=2", "train.warmup=1"),
                Stream.of(extra)).toArray(String[]::new);
        return MainTest.run(args);
    }

    @Test
    void aYamlErrorNamesTheFileAndLine() throws IOException {
        Path config = Files.writeString(base.resolve("bad.yaml"), "train:\n  lr: 1e-3\n\tworkers: 2\n");
        MainTest.Outcome e = MainTest.run("pretrain", "--config", config.toString());
        assertEquals(2, e.status());
        assertTrue(e.err().contains("bad.yaml line 3, column 1"), e.err());

        Path twice = Files.writeString(base.resolve("twice.yaml"), "train:\n  lr: 1e-3\n  lr: 2e-3\n");
        MainTest.Outcome t = MainTest.run("pretrain", "--config", twice.toString());
        assertEquals(2, t.status());
        assertTrue(t.err().contains("twice.yaml line 3") && t.err().contains("lr"), t.err());

        MainTest.Outcome missing = MainTest.run("pretrain", "--config", base.resolve("nowhere/p.yaml").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("nowhere/p.yaml") && missing.err().contains("config file not found"), missing.err());
    }

    @Test
    void aBadSettingNamesTheKeyAsWritten() throws IOException {
        MainTest.Outcome nan = pretrain("train.lr=NaN");
        assertEquals(2, nan.status());
        assertTrue(nan.err().contains("train.lr must be a finite number, got 'NaN' (from the command line)"), nan.err());

        MainTest.Outcome zero = pretrain("train.workers=0");
        assertEquals(2, zero.status());
        assertTrue(zero.err().contains("train.workers must be a positive integer, got '0'"), zero.err());

        Path config = Files.writeString(base.resolve("beta.yaml"), "optimizer:\n  beta2: 1.5\n");
        MainTest.Outcome beta = pretrain("--config", config.toString());
        assertEquals(2, beta.status());
        assertTrue(beta.err().contains("optimizer.beta2 must be a number in [0.0, 0.999999], got '1.5' (from config " + config + ")"),
                beta.err());
    }

    @Test
    void aFailureAboutTheUsersPathNamesThePathAndTheFix() throws IOException {
        Path file = Files.writeString(base.resolve("run-is-a-file"), "x");
        MainTest.Outcome dir = pretrain("run.dir=" + file);
        assertEquals(2, dir.status());
        assertTrue(dir.err().contains("run.dir") && dir.err().contains("run-is-a-file is a file"), dir.err());

        Path copy = base.resolve("truncated");
        copyTree(Path.of(shards), copy);
        Path shard;
        try (Stream<Path> parts = Files.list(copy.resolve("shards/train"))) {
            shard = parts.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.deleteIfExists(shard.resolveSibling("." + shard.getFileName() + ".crc"));
        MainTest.Outcome truncated = MainTest.run("pretrain", "data.shards=" + copy, "run.dir=" + base.resolve("run-truncated"),
                "model.layers=1", "model.heads=2", "model.width=16", "train.rounds=1", "train.localSteps=2", "train.warmup=1");
        assertEquals(2, truncated.status(), truncated.err());
        assertTrue(truncated.err().contains("cannot read ") && truncated.err().contains(shard.getFileName().toString())
                && truncated.err().contains("data.overwrite=true"), truncated.err());
    }

    @Test
    void noCommandOrHelpListsEveryCommand() {
        for (String[] args : new String[][] {{}, {"--help"}}) {
            MainTest.Outcome o = MainTest.run(args);
            for (String command : new String[] {"tokenize", "pretrain", "train-local", "eval", "generate"}) {
                assertTrue(o.out().contains("  " + command + ": "), o.out());
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
