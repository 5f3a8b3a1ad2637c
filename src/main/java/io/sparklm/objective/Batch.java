package io.sparklm.objective;

/**
 * A batch of B items (sequences, texts, pairs) as an {@link Objective} draws it. Items are
 * independent in the loss when the objective says so ({@link Objective#independentItems}), and
 * then a batch may be cut into micro-batches that sum to it.
 */
public interface Batch {
    /** B, the number of items. */
    int size();

    /** Token positions the model's products run over (B·T for B sequences of T tokens). */
    long positions();

    /** Items [from, to), in order. */
    Batch slice(int from, int to);
}
