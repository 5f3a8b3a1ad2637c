package io.sparklm.optim;

import io.sparklm.nn.Parameter;
import io.sparklm.nn.Parameters;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An optimizer's state: its step count and named buffers (sorted by name), each one array per
 * parameter tensor in {@code Parameters} registration order, shaped as that parameter: AdamW's
 * {@code m} and {@code v}, SGD's {@code velocity}. Workers keep it between rounds
 * ({@code WorkerStates}) and checkpoints record it.
 */
public record OptimizerState(long step, Map<String, float[][]> buffers) implements Serializable {
    public OptimizerState {
        if (step < 0) {
            throw new IllegalArgumentException("optimizer step must be non-negative, got " + step);
        }
        buffers = new TreeMap<>(buffers);
    }

    /** The buffer named {@code name}, or no arrays when the optimizer has not allocated it yet. */
    public float[][] buffer(String name) {
        return buffers.getOrDefault(name, new float[0][]);
    }

    /** Zeroed arrays shaped as the parameters, one per tensor in registration order. */
    static float[][] zerosLike(Parameters params) {
        List<Parameter> all = params.all();
        float[][] out = new float[all.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new float[all.get(i).size()];
        }
        return out;
    }

    /**
     * Checks that a buffer loaded from outside (a worker's state file) is shaped as the
     * parameters, naming the first tensor that is not.
     */
    static void requireShapedAs(String name, float[][] buffer, Parameters params) {
        List<Parameter> all = params.all();
        if (buffer.length != all.size()) {
            throw new IllegalArgumentException("optimizer state " + name + " holds " + buffer.length + " tensors, the model has "
                    + all.size() + " parameter tensors");
        }
        for (int i = 0; i < buffer.length; i++) {
            if (buffer[i].length != all.get(i).size()) {
                throw new IllegalArgumentException("optimizer state " + name + " holds " + buffer[i].length + " values for "
                        + all.get(i).name() + ", which has " + all.get(i).size());
            }
        }
    }

    /** The buffer's arrays concatenated in registration order (a copy). */
    static float[] flat(float[][] buffer) {
        int n = 0;
        for (float[] b : buffer) {
            n += b.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] b : buffer) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }
}
