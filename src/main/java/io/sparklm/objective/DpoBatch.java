package io.sparklm.objective;

import java.util.Arrays;

/**
 * B preference pairs as {@link DirectPreferenceOptimization} reads them: prompt · chosen · end and
 * prompt · rejected · end as supervised fine-tuning's sequences (each side right-padded, the prompt's
 * targets masked), with the reference model's log π_ref(y_c|x) and log π_ref(y_r|x) of each pair.
 *
 * @param chosen             B sequences prompt · y_c, their targets the response and the end
 * @param rejected           B sequences prompt · y_r, likewise
 * @param referenceChosen    B values log π_ref(y_c|x)
 * @param referenceRejected  B values log π_ref(y_r|x)
 */
public record DpoBatch(TokenBatch chosen, TokenBatch rejected, float[] referenceChosen, float[] referenceRejected) implements Batch {
    public DpoBatch {
        if (rejected.size() != chosen.size() || referenceChosen.length != chosen.size() || referenceRejected.length != chosen.size()) {
            throw new IllegalArgumentException("a batch of " + chosen.size() + " pairs needs as many rejected sequences and reference "
                    + "log-probabilities, got " + rejected.size() + ", " + referenceChosen.length + " and " + referenceRejected.length);
        }
    }

    @Override
    public int size() {
        return chosen.size();
    }

    @Override
    public long positions() {
        return chosen.positions() + rejected.positions();
    }

    @Override
    public DpoBatch slice(int from, int to) {
        return new DpoBatch(chosen.slice(from, to), rejected.slice(from, to), Arrays.copyOfRange(referenceChosen, from, to),
                Arrays.copyOfRange(referenceRejected, from, to));
    }
}
