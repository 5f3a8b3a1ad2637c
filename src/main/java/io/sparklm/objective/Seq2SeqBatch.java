package io.sparklm.objective;

import io.sparklm.model.PaddedSequences;
import java.util.Arrays;

/**
 * B (source, target) pairs prepared for teacher forcing ({@link Seq2SeqObjective}): the sources
 * (B, S), the decoder inputs (B, T) and the targets (B·T, −100 at padding), each right-padded to
 * the batch's longest.
 */
public record Seq2SeqBatch(PaddedSequences source, PaddedSequences inputs, int[] targets) implements Batch {
    public Seq2SeqBatch {
        if (source.size() != inputs.size() || targets.length != inputs.ids().length) {
            throw new IllegalArgumentException("a batch of " + source.size() + " sources needs as many decoder sequences and one target per"
                    + " decoder position, got " + inputs.size() + " sequences and " + targets.length + " targets for " + inputs.ids().length);
        }
    }

    @Override
    public int size() {
        return source.size();
    }

    /** B·S + B·T: the encoder's and the decoder's positions. */
    @Override
    public long positions() {
        return (long) source.ids().length + inputs.ids().length;
    }

    @Override
    public Seq2SeqBatch slice(int from, int to) {
        int t = inputs.time();
        return new Seq2SeqBatch(source.slice(from, to), inputs.slice(from, to), Arrays.copyOfRange(targets, from * t, to * t));
    }
}
