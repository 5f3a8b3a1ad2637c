package io.sparklm.objective;

import io.sparklm.model.PaddedSequences;

/** B texts (padded) and one class label each: the classification objective's batch. */
public record LabelledBatch(PaddedSequences texts, int[] labels) implements Batch {
    @Override
    public int size() {
        return texts.size();
    }

    @Override
    public long positions() {
        return texts.ids().length;
    }

    @Override
    public LabelledBatch slice(int from, int to) {
        return new LabelledBatch(texts.slice(from, to), java.util.Arrays.copyOfRange(labels, from, to));
    }
}
