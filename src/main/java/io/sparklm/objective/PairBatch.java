package io.sparklm.objective;

import io.sparklm.model.PaddedSequences;

/** B pairs (a, b), each side padded: the contrastive objective's batch. */
public record PairBatch(PaddedSequences a, PaddedSequences b) implements Batch {
    @Override
    public int size() {
        return a.size();
    }

    @Override
    public long positions() {
        return a.ids().length + b.ids().length;
    }

    @Override
    public PairBatch slice(int from, int to) {
        return new PairBatch(a.slice(from, to), b.slice(from, to));
    }
}
