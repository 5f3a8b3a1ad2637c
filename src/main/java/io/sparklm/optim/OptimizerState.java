package io.sparklm.optim;

import java.io.Serializable;
import java.util.TreeMap;
import java.util.Map;

/**
 * An optimizer's state: its step count and named flat buffers (sorted by name, each in {@code Parameters}
 * registration order), e.g. AdamW's {@code m} and {@code v}. Checkpoints store it and parameter
 * averaging averages the buffers.
 */
public record OptimizerState(long step, Map<String, float[]> buffers) implements Serializable {
    public OptimizerState {
        if (step < 0) {
            throw new IllegalArgumentException("optimizer step must be non-negative, got " + step);
        }
        buffers = new TreeMap<>(buffers);
    }

    /** The buffer named {@code name}, or an empty array when the optimizer has not allocated it yet. */
    public float[] buffer(String name) {
        return buffers.getOrDefault(name, new float[0]);
    }
}
