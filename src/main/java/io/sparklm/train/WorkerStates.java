package io.sparklm.train;

import io.sparklm.optim.OptimizerState;
import io.sparklm.tensor.SafeTensors;
import io.sparklm.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Each worker's inner optimizer state between rounds (AdamW's m and v, SGD's velocity), kept with
 * the worker instead of travelling through the driver, as DiLoCo keeps it:
 * <pre>
 *   RUN/worker-state/round-000120/part-00003.safetensors   buffers of partition 3 after round 120
 * </pre>
 * Buffer b's array for the i-th parameter tensor is the file's tensor {@code b.i} (m.0, m.1, …,
 * v.0, …), so the arrays are written and read as the optimizer holds them, never flattened.
 * The task of round r, partition p reads round r − 1's file and writes round r's atomically, so a
 * retried task reads the same input and rewrites the same bytes, and a checkpoint of round r keeps
 * round r's files (the SHA-256 of each is in its state.json). The files are on the run's Hadoop
 * FileSystem so that a task on any executor, or a resumed driver, finds them: 8 bytes per parameter
 * per worker are written and read each round, against 4 + 4 for θ in and the update out.
 */
public final class WorkerStates implements Serializable {
    static final String DIRECTORY = "worker-state";
    private static final String STEP = "step";
    /** A buffer's array for one parameter tensor: the buffer's name, a dot, the tensor's registration index. */
    private static final Pattern TENSOR_NAME = Pattern.compile("(.+)\\.(0|[1-9][0-9]{0,8})");
    private final String root;
    private final SerializableConfiguration conf;

    /** The worker states of the run in {@code runDir}. */
    public WorkerStates(String runDir, Configuration conf) throws IOException {
        RunFiles files = RunFiles.forUri(runDir, conf);
        this.root = new Path(files.qualify(runDir), DIRECTORY).toString();
        this.conf = new SerializableConfiguration(conf);
    }

    private RunFiles files() throws IOException {
        return RunFiles.forUri(root, conf.value());
    }

    /** The directory of round {@code round}'s files. */
    Path directory(int round) {
        return new Path(root, Checkpoints.directoryName(round));
    }

    Path file(int round, int partition) {
        return new Path(directory(round), String.format("part-%05d.safetensors", partition));
    }

    /** Partition {@code partition}'s state after round {@code round}; round 0 is a fresh state at {@code step}. */
    OptimizerState read(int round, int partition, long step) throws IOException {
        if (round == 0) {
            return new OptimizerState(step, Map.of());
        }
        Path file = file(round, partition);
        RunFiles files = files();
        if (!files.fs().exists(file)) {
            throw new IOException("worker state " + file + " is missing: something removed it from the run directory; "
                    + "resume from the last checkpoint (run.resume=true)");
        }
        SafeTensors saved;
        try (InputStream in = files.fs().open(file)) {
            saved = SafeTensors.read(in, file.toString());
        }
        long savedStep = Long.parseLong(saved.metadata().getOrDefault(STEP, "-1"));
        if (savedStep != step) {
            throw new IOException("worker state " + file + " is at step " + savedStep + ", the round starts at step " + step);
        }
        Map<String, TreeMap<Integer, float[]>> pieces = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : saved.tensors().entrySet()) {
            Matcher name = TENSOR_NAME.matcher(e.getKey());
            if (!name.matches()) {
                throw new IOException("worker state " + file + " holds a tensor named '" + e.getKey() + "', not BUFFER.INDEX "
                        + "(m.0, v.0, …): it was not written by this version of sparklm; start the run afresh");
            }
            pieces.computeIfAbsent(name.group(1), b -> new TreeMap<>()).put(Integer.parseInt(name.group(2)), e.getValue().data);
        }
        Map<String, float[][]> buffers = new TreeMap<>();
        for (Map.Entry<String, TreeMap<Integer, float[]>> e : pieces.entrySet()) {
            TreeMap<Integer, float[]> arrays = e.getValue();
            if (arrays.lastKey() != arrays.size() - 1) {
                throw new IOException("worker state " + file + " holds " + arrays.size() + " tensors of " + e.getKey()
                        + " numbered up to " + arrays.lastKey() + ": some are missing");
            }
            buffers.put(e.getKey(), arrays.values().toArray(new float[0][]));
        }
        return new OptimizerState(step, buffers);
    }

    /** Writes partition {@code partition}'s state after round {@code round}; returns the file's SHA-256. */
    String write(int round, int partition, OptimizerState state) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        state.buffers().forEach((name, arrays) -> {
            for (int i = 0; i < arrays.length; i++) {
                tensors.put(name + "." + i, Tensor.of(arrays[i], arrays[i].length));
            }
        });
        RunFiles files = files();
        files.fs().mkdirs(directory(round));
        return files.writeAtomically(file(round, partition),
                out -> new SafeTensors(tensors, Map.of(STEP, Long.toString(state.step()))).write(out));
    }

    /** Checks each recorded file of round {@code round} against its SHA-256 (partition → hex). */
    void verify(int round, Map<Integer, String> sha256) throws IOException {
        RunFiles files = files();
        for (Map.Entry<Integer, String> e : sha256.entrySet()) {
            Path file = file(round, e.getKey());
            if (!files.fs().exists(file)) {
                throw new IOException("worker state " + file + " recorded by the checkpoint of round " + round + " is missing");
            }
            String actual = files.sha256(file);
            if (!actual.equals(e.getValue())) {
                throw new IOException("worker state " + file + ": SHA-256 " + actual + " does not match " + e.getValue()
                        + " recorded by the checkpoint of round " + round + "; the file is damaged");
            }
        }
    }

    /** Removes round {@code round}'s files. */
    void delete(int round) throws IOException {
        files().fs().delete(directory(round), true);
    }
}
