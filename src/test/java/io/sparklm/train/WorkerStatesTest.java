package io.sparklm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparklm.optim.OptimizerState;
import io.sparklm.tensor.SafeTensors;
import io.sparklm.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerStatesTest {
    @Test
    void buffersRoundTripOneTensorPerParameterInOrder(@TempDir Path run) throws IOException {
        WorkerStates states = new WorkerStates(run.toUri().toString(), new Configuration());
        float[][] m = {{1f, 2f}, {3f}, new float[12]};
        float[][] v = {{4f, 5f}, {6f}, new float[12]};
        v[2][11] = 7f;
        states.write(2, 1, new OptimizerState(8, Map.of("m", m, "v", v)));
        OptimizerState read = states.read(2, 1, 8);
        assertArrayEquals(m, read.buffer("m"));
        assertArrayEquals(v, read.buffer("v"));
        assertEquals(8, read.step());
    }

    @Test
    void aFileWhoseTensorsAreNotNumberedPerParameterIsRefusedNamingTheTensor(@TempDir Path run) throws IOException {
        WorkerStates states = new WorkerStates(run.toUri().toString(), new Configuration());
        Map<String, Tensor> flat = new LinkedHashMap<>();
        flat.put("m", Tensor.of(new float[3], 3));
        write(states, 1, flat);
        IOException unnamed = assertThrows(IOException.class, () -> states.read(1, 0, 4));
        assertEquals("worker state " + states.file(1, 0) + " holds a tensor named 'm', not BUFFER.INDEX (m.0, v.0, …): "
                + "it was not written by this version of sparklm; start the run afresh", unnamed.getMessage());

        Map<String, Tensor> gap = new LinkedHashMap<>();
        gap.put("m.0", Tensor.of(new float[3], 3));
        gap.put("m.2", Tensor.of(new float[3], 3));
        write(states, 2, gap);
        IOException missing = assertThrows(IOException.class, () -> states.read(2, 0, 4));
        assertEquals("worker state " + states.file(2, 0) + " holds 2 tensors of m numbered up to 2: some are missing",
                missing.getMessage());
    }

    /** Partition 0's file of {@code round} at step 4, holding {@code tensors} as they are. */
    private static void write(WorkerStates states, int round, Map<String, Tensor> tensors) throws IOException {
        Path file = Path.of(states.file(round, 0).toUri());
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            new SafeTensors(tensors, Map.of("step", "4")).write(out);
        }
    }
}
