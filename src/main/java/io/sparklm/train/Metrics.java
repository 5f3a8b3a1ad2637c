package io.sparklm.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * A run's {@code metrics.jsonl} (one JSON object per round) and {@code loss.png} (train and
 * validation loss against tokens), both rewritten atomically after every round. A resumed run
 * keeps the rows up to the round it resumes from.
 */
public final class Metrics {
    public static final String METRICS_FILE = "metrics.jsonl";
    public static final String CHART_FILE = "loss.png";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunFiles files;
    private final Path dir;
    private final List<JsonNode> rows = new ArrayList<>();

    /** Metrics of the run in {@code runDir}, keeping existing rows of rounds ≤ {@code resumedRound}. */
    public Metrics(RunFiles files, String runDir, int resumedRound) throws IOException {
        this.files = files;
        this.dir = files.qualify(runDir);
        Path existing = new Path(dir, METRICS_FILE);
        if (resumedRound > 0 && files.fs().exists(existing)) {
            for (String line : files.readString(existing).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode row = JSON.readTree(line);
                    if (row.path("round").asInt() <= resumedRound) {
                        rows.add(row);
                    }
                }
            }
        }
    }

    public List<JsonNode> rows() {
        return List.copyOf(rows);
    }

    public void record(RoundReport r) throws IOException {
        ObjectNode row = JSON.createObjectNode();
        row.put("round", r.round());
        row.put("step", r.step());
        row.put("tokens", r.tokens());
        row.put("train_loss", r.trainLoss());
        if (!Double.isNaN(r.valLoss())) {
            row.put("val_loss", r.valLoss());
        }
        row.put("tokens_per_second", r.tokensPerSecond());
        row.put("lr", r.lr());
        row.put("seconds", r.seconds());
        row.put("overhead", r.overhead());
        row.put("bytes_in_per_worker", r.bytesInPerWorker());
        row.put("bytes_out_per_worker", r.bytesOutPerWorker());
        rows.add(row);
        StringBuilder text = new StringBuilder();
        for (JsonNode n : rows) {
            text.append(JSON.writeValueAsString(n)).append('\n');
        }
        files.writeStringAtomically(new Path(dir, METRICS_FILE), text.toString());
        files.writeAtomically(new Path(dir, CHART_FILE), out -> LossChart.write(rows, out));
    }
}
