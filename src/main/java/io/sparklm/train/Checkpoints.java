package io.sparklm.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparklm.data.shard.StagedDirectory;
import io.sparklm.model.Model;
import io.sparklm.model.ModelSpec;
import io.sparklm.nn.ParameterFile;
import io.sparklm.tensor.SafeTensors;
import io.sparklm.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoints of a run under {@code RUN/checkpoints/}:
 * <pre>
 *   round-000120/model.safetensors       θ with GPT-2 tensor names; model config in metadata
 *   round-000120/optimizer.safetensors   the outer optimizer's "outer.velocity"
 *   round-000120/state.json              round, step, tokens, seed, model config, the run's settings,
 *                                        SHA-256 of both files and of every worker's state file
 *   LATEST                               the name of the newest complete checkpoint directory
 * </pre>
 * The workers' inner optimizer state of a checkpointed round stays where the workers wrote it
 * ({@link WorkerStates}, {@code RUN/worker-state/round-000120/}): it is kept as long as the
 * checkpoint, while the states of rounds without a checkpoint are removed once the next round is done.
 * A checkpoint is written in a {@link StagedDirectory} and renamed when complete; LATEST is replaced
 * atomically afterwards, so a crash at any point leaves the previous checkpoint readable.
 * Loading verifies both checksums, that the model config matches and that the run's settings
 * (optimizer, schedule, workers…) are those the checkpoint was written with.
 */
public final class Checkpoints {
    public static final String LATEST = "LATEST";
    static final String MODEL_FILE = "model.safetensors";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String STATE_FILE = "state.json";
    private static final String WORKER_STATE = "worker_state";
    private static final String OUTER_VELOCITY = "outer.velocity";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunFiles files;
    private final Path root;
    private final WorkerStates workerStates;

    /** Checkpoints in {@code runDir/checkpoints}. */
    public Checkpoints(RunFiles files, String runDir) throws IOException {
        this.files = files;
        this.root = new Path(files.qualify(runDir), "checkpoints");
        this.workerStates = new WorkerStates(runDir, files.fs().getConf());
    }

    public Path root() {
        return root;
    }

    /** The run's worker optimizer states, which the trainer reads and writes. */
    public WorkerStates workerStates() {
        return workerStates;
    }

    /** {@code round-000120}: the directory of a round's checkpoint, and of its worker states. */
    static String directoryName(int round) {
        return String.format("round-%06d", round);
    }

    /** Removes the workers' state of {@code round} unless a checkpoint of that round keeps it. */
    public void pruneWorkerStates(int round) throws IOException {
        if (round > 0 && !files.fs().exists(new Path(root, directoryName(round)))) {
            workerStates.delete(round);
        }
    }

    /** Deletes temporary checkpoint directories that an interrupted run left behind; returns how many. */
    public int removeUnfinished() throws IOException {
        if (!files.fs().exists(root)) {
            return 0;
        }
        int removed = 0;
        for (org.apache.hadoop.fs.FileStatus entry : files.fs().listStatus(root)) {
            if (entry.getPath().getName().startsWith(StagedDirectory.PREFIX) && files.fs().delete(entry.getPath(), true)) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Writes a checkpoint of {@code state}.
     *
     * @param settings the settings a resumed run must repeat (key → value)
     */
    public Path save(TrainerState state, TrainingSpec spec, Map<String, String> settings) throws IOException {
        String name = directoryName(state.round());
        try (StagedDirectory staged = new StagedDirectory(files.fs(), root)) {
            Path dir = staged.path(name);
            files.fs().mkdirs(dir);
            Model model = spec.model().withParameters(state.parameters());
            String modelSha = files.writeAtomically(new Path(dir, MODEL_FILE), out -> ParameterFile.save(model.parameters(),
                    ModelDirectory.metadata(spec.model()), out));
            String optimizerSha = files.writeAtomically(new Path(dir, OPTIMIZER_FILE), out -> optimizerTensors(state).write(out));

            ObjectNode json = JSON.createObjectNode();
            json.put("round", state.round());
            json.put("step", state.step());
            json.put("tokens", state.tokens());
            json.put("seed", spec.local().seed());
            json.set("model", JSON.valueToTree(spec.model()));
            json.set("settings", JSON.valueToTree(new TreeMap<>(settings)));
            ObjectNode sums = json.putObject("sha256");
            sums.put(MODEL_FILE, modelSha);
            sums.put(OPTIMIZER_FILE, optimizerSha);
            ObjectNode workers = json.putObject(WORKER_STATE);
            state.workerStates().forEach((partition, sha) -> workers.put(Integer.toString(partition), sha));
            files.writeStringAtomically(new Path(dir, STATE_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
            staged.publish(name);
        }
        files.writeStringAtomically(new Path(root, LATEST), name + "\n");
        return new Path(root, name);
    }

    private static void requireSameSettings(Path dir, Map<?, ?> saved, Map<String, String> now) throws IOException {
        java.util.Set<String> keys = new java.util.TreeSet<>(now.keySet());
        saved.keySet().forEach(k -> keys.add(k.toString()));
        java.util.List<String> differences = new java.util.ArrayList<>();
        for (String key : keys) {
            Object before = saved.get(key);
            String after = now.get(key);
            if (before == null || after == null || !before.toString().equals(after)) {
                differences.add(key + " (checkpoint: " + before + ", this run: " + after + ")");
            }
        }
        if (!differences.isEmpty()) {
            throw new IOException("checkpoint " + dir + " was written with other settings: " + String.join(", ", differences)
                    + "; resume with the checkpoint's settings, or train into a new run.dir");
        }
    }

    private static SafeTensors optimizerTensors(TrainerState state) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        if (state.outerVelocity().length > 0) {
            tensors.put(OUTER_VELOCITY, Tensor.of(state.outerVelocity(), state.outerVelocity().length));
        }
        return new SafeTensors(tensors, Map.of("step", Long.toString(state.step())));
    }

    /** SHA-256 of a checkpoint file, or a description of why it cannot be read whole. */
    private String checksumOf(Path file) throws IOException {
        try {
            return files.sha256(file);
        } catch (org.apache.hadoop.fs.ChecksumException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    /**
     * The newest checkpoint named by LATEST, verified; empty when there is none yet.
     *
     * @param settings this run's settings; each must equal the checkpoint's
     */
    public Optional<TrainerState> loadLatest(TrainingSpec spec, Map<String, String> settings) throws IOException {
        Path latest = new Path(root, LATEST);
        if (!files.fs().exists(latest)) {
            return Optional.empty();
        }
        Path dir = new Path(root, files.readString(latest).trim());
        if (!files.fs().exists(new Path(dir, STATE_FILE))) {
            throw new IOException("checkpoint " + dir + " named by " + latest + " has no " + STATE_FILE);
        }
        JsonNode state = JSON.readTree(files.readString(new Path(dir, STATE_FILE)));
        for (String field : new String[] {"round", "step", "tokens", "model", "sha256", WORKER_STATE}) {
            if (!state.has(field)) {
                throw new IOException(new Path(dir, STATE_FILE) + " has no \"" + field + "\": it was not written by sparklm pretrain");
            }
        }
        requireSameSettings(dir, JSON.convertValue(state.path("settings"), Map.class), settings);
        for (String file : new String[] {MODEL_FILE, OPTIMIZER_FILE}) {
            String expected = state.path("sha256").path(file).asText();
            String actual = checksumOf(new Path(dir, file));
            if (!expected.equals(actual)) {
                throw new IOException("checkpoint " + new Path(dir, file) + ": SHA-256 " + actual + " does not match "
                        + expected + " recorded in " + STATE_FILE + "; the file is damaged: restore it or point "
                        + LATEST + " at an earlier checkpoint");
            }
        }
        ModelSpec saved = ModelDirectory.specFromJson(state.get("model"));
        if (!saved.equals(spec.model())) {
            throw new IOException("checkpoint " + dir + " is of model " + saved + ", this run's model is " + spec.model());
        }
        int round = state.get("round").asInt();
        Map<Integer, String> workerShas = new TreeMap<>();
        state.get(WORKER_STATE).fields().forEachRemaining(e -> workerShas.put(Integer.parseInt(e.getKey()), e.getValue().asText()));
        workerStates.verify(round, workerShas);
        Model model = spec.model().blank();
        try (InputStream in = files.fs().open(new Path(dir, MODEL_FILE))) {
            ParameterFile.load(in, new Path(dir, MODEL_FILE).toString(), model.parameters());
        }
        SafeTensors optimizer;
        try (InputStream in = files.fs().open(new Path(dir, OPTIMIZER_FILE))) {
            optimizer = SafeTensors.read(in, new Path(dir, OPTIMIZER_FILE).toString());
        }
        Tensor velocity = optimizer.tensors().get(OUTER_VELOCITY);
        return Optional.of(new TrainerState(round, model.parameters().flatten(), state.get("step").asLong(),
                velocity == null ? new float[0] : velocity.data, state.get("tokens").asDouble(), workerShas));
    }
}
