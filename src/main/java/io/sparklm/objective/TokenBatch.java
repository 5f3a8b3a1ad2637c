package io.sparklm.objective;

import io.sparklm.loss.CausalLm;
import java.util.Arrays;

/**
 * B sequences of T token ids with a target per position, flat in row-major (B, T) order: the
 * batch of the language-model objectives.
 *
 * @param inputs  B·T ids fed to the model
 * @param targets B·T ids to predict, the ignore index −100 where nothing is predicted
 * @param valid   B·T flags, true for real tokens and false for padding; null when all are real
 */
public record TokenBatch(int[] inputs, int[] targets, boolean[] valid, int size, int time) implements Batch {
    public TokenBatch {
        if (inputs.length != (long) size * time || targets.length != inputs.length || (valid != null && valid.length != inputs.length)) {
            throw new IllegalArgumentException("a batch of " + size + "×" + time + " needs that many inputs, targets and flags, got "
                    + inputs.length + ", " + targets.length + " and " + (valid == null ? "none" : valid.length));
        }
    }

    /** The causal-LM batch's inputs and next-token targets, no padding. */
    public static TokenBatch of(CausalLm.Batch b) {
        return new TokenBatch(b.inputs(), b.targets(), null, b.batchSize(), b.blockSize());
    }

    @Override
    public long positions() {
        return inputs.length;
    }

    @Override
    public TokenBatch slice(int from, int to) {
        return new TokenBatch(Arrays.copyOfRange(inputs, from * time, to * time), Arrays.copyOfRange(targets, from * time, to * time),
                valid == null ? null : Arrays.copyOfRange(valid, from * time, to * time), to - from, time);
    }
}
