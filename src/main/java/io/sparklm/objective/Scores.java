package io.sparklm.objective;

import java.io.Serializable;
import java.util.Map;

/**
 * An objective's evaluation figures beyond the loss (macro-F1, MRR, BLEU), kept as counts and sums
 * that add across validation partitions ({@code io.sparklm.metrics}); the ratios are taken only in
 * {@link #figures}, after the last {@link #plus}.
 */
public interface Scores extends Serializable {
    /** These counts plus another partition's of the same kind. */
    Scores plus(Scores other);

    /** Named figures, in a stable order. */
    Map<String, Double> figures();

    /** What the figures cannot show, as text (a confusion matrix); empty when nothing. */
    default String report() {
        return "";
    }
}
