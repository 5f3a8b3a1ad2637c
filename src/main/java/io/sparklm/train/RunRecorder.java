package io.sparklm.train;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * The driver's record of a run: after each round it prints the round's log line, rewrites
 * {@code metrics.jsonl} and {@code loss.png}, and checkpoints every C rounds and after the last.
 */
public final class RunRecorder implements SparkTrainer.RoundListener {
    private final Checkpoints checkpoints;
    private final Metrics metrics;
    private final TrainingSpec spec;
    private final Map<String, String> settings;
    private final int checkpointEvery;
    private final PrintStream log;

    /**
     * @param settings        what a resumed run must repeat, stored in each checkpoint
     * @param checkpointEvery C; 0 checkpoints only after the last round
     */
    public RunRecorder(Checkpoints checkpoints, Metrics metrics, TrainingSpec spec, Map<String, String> settings,
                       int checkpointEvery, PrintStream log) {
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("train.checkpointEvery must be ≥ 0, got " + checkpointEvery);
        }
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.spec = spec;
        this.settings = Map.copyOf(settings);
        this.checkpointEvery = checkpointEvery;
        this.log = log;
    }

    @Override
    public void roundDone(RoundReport report, TrainerState state) throws IOException {
        log.println(report.logLine());
        metrics.record(report);
        boolean last = report.round() == report.rounds();
        if (last || (checkpointEvery > 0 && report.round() % checkpointEvery == 0)) {
            log.println("checkpoint " + checkpoints.save(state, spec, settings));
        }
        checkpoints.pruneWorkerStates(report.round() - 1);
    }
}
