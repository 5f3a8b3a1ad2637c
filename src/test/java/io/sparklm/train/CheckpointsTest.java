package io.sparklm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.optim.OuterOptimizer;
import io.sparklm.optim.Schedule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
    private static final ModelConfig MODEL = ModelConfig.gpt(12, 8, 1, 2, 16);
    private static final TrainingSpec SPEC = TrainingSpec.causalLm(MODEL, OptimizerSpec.adamW(0.9, 0.99, 0.1),
            new LocalTrainer.Settings(4, Schedule.warmupCosine(1e-2, 3, 20, 1e-3), 1.0, 11), 2, 1);
    private static final Map<String, String> SETTINGS = Map.of("train.workers", "2", "outer.optimizer", "nesterov");

    private static TrainerState train(Path runDir, int rounds, boolean resume, PrintStream log) throws IOException {
        return train(runDir, new SparkTrainer.Settings(rounds, 5, 0, 500), resume, log, 0);
    }

    /** Trains to {@code settings.rounds()}, or fails like a lost driver after round {@code crashAfter} (0: never). */
    private static TrainerState train(Path runDir, SparkTrainer.Settings settings, boolean resume, PrintStream log, int crashAfter)
            throws IOException {
        RunFiles files = RunFiles.forUri(runDir.toUri().toString(), new Configuration());
        Checkpoints checkpoints = new Checkpoints(files, runDir.toUri().toString());
        TrainerState start = resume ? checkpoints.loadLatest(SPEC, SETTINGS).orElseThrow()
                : TrainerState.initial(new Gpt(MODEL, 3).parameters().flatten());
        Metrics metrics = new Metrics(files, runDir.toUri().toString(), start.round());
        JavaRDD<int[]> shards = SparkTrainerTest.shards(SparkTrainerTest.randomTokens(6, 300, 12), SparkTrainerTest.randomTokens(7, 300, 12));
        RunRecorder recorder = new RunRecorder(checkpoints, metrics, SPEC, SETTINGS, 5, log);
        return new SparkTrainer(SparkTrainerTest.sc(), SPEC, settings, OuterOptimizer.nesterov(0.7, 0.9), checkpoints.workerStates())
                .run(shards, shards, start, (report, state) -> {
                    recorder.roundDone(report, state);
                    if (report.round() == crashAfter) {
                        throw new IOException("driver lost after round " + crashAfter);
                    }
                });
    }

    @Test
    void tenRoundsStraightEqualFiveRoundsThenResumedFive(@TempDir Path straight, @TempDir Path split) throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        TrainerState a = train(straight, 10, false, quiet);
        train(split, 5, false, quiet);
        TrainerState b = train(split, 10, true, quiet);
        assertEquals(10, b.round());
        assertArrayEquals(a.parameters(), b.parameters(), 0f);
        for (int partition = 0; partition < 2; partition++) {
            assertArrayEquals(momentsOf(straight, a, partition), momentsOf(split, b, partition));
        }
        assertEquals(a.workerStates(), b.workerStates());
        assertArrayEquals(a.outerVelocity(), b.outerVelocity(), 0f);
        assertEquals(10, Files.readAllLines(split.resolve("metrics.jsonl")).size());
    }

    @Test
    void aRunWithSyncStepsAndGrowingRoundsResumedAfterACrashEqualsTheStraightRun(@TempDir Path straight, @TempDir Path split)
            throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        SparkTrainer.Settings settings = new SparkTrainer.Settings(10, 5, 0, 500, 2, 3);
        TrainerState a = train(straight, settings, false, quiet, 0);
        assertThrows(IOException.class, () -> train(split, settings, false, quiet, 6));
        TrainerState b = train(split, settings, true, quiet, 0);
        assertEquals(20, b.step());
        assertArrayEquals(a.parameters(), b.parameters(), 0f);
        assertArrayEquals(momentsOf(straight, a, 1), momentsOf(split, b, 1));
        assertArrayEquals(a.outerVelocity(), b.outerVelocity(), 0f);
    }

    private static float[][] momentsOf(Path runDir, TrainerState state, int partition) throws IOException {
        return new Checkpoints(RunFiles.forUri(runDir.toUri().toString(), new Configuration()), runDir.toUri().toString())
                .workerStates().read(state.round(), partition, state.step()).buffer("m");
    }

    @Test
    void aRunWritesCheckpointsLatestMetricsAndAChartAndNoTemporaryFiles(@TempDir Path run) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        train(run, 6, false, new PrintStream(log, true));
        assertEquals("round-000006", Files.readString(run.resolve("checkpoints/LATEST")).trim());
        assertTrue(Files.isDirectory(run.resolve("checkpoints/round-000005")));
        for (String f : List.of("model.safetensors", "optimizer.safetensors", "state.json")) {
            assertTrue(Files.exists(run.resolve("checkpoints/round-000006/" + f)), f);
        }
        try (Stream<Path> all = Files.walk(run)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().contains("tmp")), "temporary files left behind");
        }
        List<String> rows = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(6, rows.size());
        assertTrue(rows.get(4).contains("val_loss") && !rows.get(3).contains("val_loss"), rows.get(4));
        byte[] png = Files.readAllBytes(run.resolve("loss.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        String text = log.toString();
        assertTrue(text.contains("round 6/6") && text.contains("tok/s") && text.contains("eta"), text);
    }

    @Test
    void aCheckpointWithAWrongChecksumIsRefused(@TempDir Path run) throws IOException {
        train(run, 5, false, new PrintStream(new ByteArrayOutputStream()));
        Path model = run.resolve("checkpoints/round-000005/model.safetensors");
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length - 1] ^= 1;
        Files.write(model, bytes);
        RunFiles files = RunFiles.forUri(run.toUri().toString(), new Configuration());
        IOException e = assertThrows(IOException.class,
                () -> new Checkpoints(files, run.toUri().toString()).loadLatest(SPEC, SETTINGS));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void resumingWithOtherSettingsIsRefusedNamingThem(@TempDir Path run) throws IOException {
        train(run, 5, false, new PrintStream(new ByteArrayOutputStream()));
        RunFiles files = RunFiles.forUri(run.toUri().toString(), new Configuration());
        IOException e = assertThrows(IOException.class, () -> new Checkpoints(files, run.toUri().toString())
                .loadLatest(SPEC, Map.of("train.workers", "3", "outer.optimizer", "nesterov")));
        assertTrue(e.getMessage().contains("train.workers (checkpoint: 2, this run: 3)"), e.getMessage());
    }

    @Test
    void unfinishedCheckpointDirectoriesAreRemovedAndFinishedOnesKept(@TempDir Path run) throws IOException {
        train(run, 5, false, new PrintStream(new ByteArrayOutputStream()));
        Files.createDirectories(run.resolve("checkpoints/_tmp-crashed"));
        Files.writeString(run.resolve("checkpoints/_tmp-crashed/model.safetensors"), "half");
        RunFiles files = RunFiles.forUri(run.toUri().toString(), new Configuration());
        Checkpoints checkpoints = new Checkpoints(files, run.toUri().toString());
        assertEquals(1, checkpoints.removeUnfinished());
        assertTrue(Files.notExists(run.resolve("checkpoints/_tmp-crashed")));
        assertEquals(5, checkpoints.loadLatest(SPEC, SETTINGS).orElseThrow().round());
    }

    @Test
    void aRunWithoutCheckpointsHasNoLatest(@TempDir Path run) throws IOException {
        RunFiles files = RunFiles.forUri(run.toUri().toString(), new Configuration());
        assertTrue(new Checkpoints(files, run.toUri().toString()).loadLatest(SPEC, SETTINGS).isEmpty());
    }
}
