package io.sparklm.loss;

import io.sparklm.tensor.Rng;
import java.util.Arrays;

/**
 * BERT's masking of the masked language-model objective: which positions are predicted, and what
 * the model sees there.
 *
 * <p>Each non-special position is selected with probability 0.15; a selected position's input
 * becomes [MASK] with probability 0.8, a uniformly drawn non-special token with probability 0.1,
 * and stays unchanged with probability 0.1 (Devlin et al. 2019, "BERT: Pre-training of Deep
 * Bidirectional Transformers for Language Understanding", §3.1 and Appendix A.1; seeds-digest §7).
 * Special ids ([CLS], [SEP], [MASK], [PAD], [UNK], …) are never selected. The targets are the
 * original ids at selected positions and {@link CrossEntropy#DEFAULT_IGNORE_INDEX} elsewhere, so
 * {@link CrossEntropy} of the model's logits against them is the loss of the digest:
 * L = −(1/|S|) Σ_{t∈S} log P(x_t | x̃), with zero gradient at unselected positions and, when nothing
 * is selected, weight 0, loss 0 and zero gradient.
 *
 * <p>One uniform u per non-special position decides everything: u &lt; 0.12 → [MASK],
 * 0.12 ≤ u &lt; 0.135 → random token (a second draw picks it), 0.135 ≤ u &lt; 0.15 → unchanged,
 * otherwise not selected. Special positions draw nothing. Each sequence has its own {@link Rng}, so a
 * sequence's mask depends on its own tokens and stream only: derived from (seed, round, partition,
 * step, sequence), a retried task masks identically. The random replacement is drawn from the
 * non-special ids only (BERT's reference code and Hugging Face's collator draw from the whole
 * vocabulary, specials included).
 */
public final class MaskedLmMasking implements java.io.Serializable {
    /** The share of non-special positions selected for prediction. */
    public static final double SELECT = 0.15;
    /** The share of selected positions whose input becomes [MASK]. */
    public static final double REPLACE_WITH_MASK = 0.8;
    /** The share of selected positions whose input becomes a random non-special token. */
    public static final double REPLACE_WITH_RANDOM = 0.1;

    private static final double MASK_BELOW = SELECT * REPLACE_WITH_MASK;
    private static final double RANDOM_BELOW = SELECT * (REPLACE_WITH_MASK + REPLACE_WITH_RANDOM);

    /**
     * Masked inputs and prediction targets, flat in row-major (B, T) order like the ids they came from.
     *
     * @param inputs  B·T ids fed to the model: the originals with selected positions replaced as above
     * @param targets B·T ids to predict: the original id at selected positions, −100 elsewhere
     */
    public record Masked(int[] inputs, int[] targets) {
    }

    private final int vocabularySize;
    private final int maskId;
    private final boolean[] special;
    private final int[] ordinaryIds;

    /**
     * @param vocabularySize V, the ids being [0, V)
     * @param maskId         the [MASK] id, always treated as special
     * @param specialIds     the other ids never selected nor drawn as replacements ([CLS], [SEP], [PAD], [UNK], …)
     */
    public MaskedLmMasking(int vocabularySize, int maskId, int... specialIds) {
        this.vocabularySize = vocabularySize;
        this.maskId = requireId("maskId", maskId);
        this.special = new boolean[vocabularySize];
        special[maskId] = true;
        for (int i = 0; i < specialIds.length; i++) {
            special[requireId("specialIds[" + i + "]", specialIds[i])] = true;
        }
        int[] ordinary = new int[vocabularySize];
        int count = 0;
        for (int id = 0; id < vocabularySize; id++) {
            if (!special[id]) {
                ordinary[count++] = id;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("all " + vocabularySize + " ids are special: there is no token to mask or draw");
        }
        this.ordinaryIds = Arrays.copyOf(ordinary, count);
    }

    private int requireId(String name, int id) {
        if (id < 0 || id >= vocabularySize) {
            throw new IllegalArgumentException(name + " = " + id + " is outside the vocabulary [0, " + vocabularySize + ")");
        }
        return id;
    }

    /**
     * Masks B sequences, sequence b drawing from {@code Rng.derive(seed, stream…, b)}.
     *
     * @param ids            B·T token ids, (B, T) row-major
     * @param sequenceLength T
     * @param seed           the run's seed
     * @param stream         the keys naming this batch, such as (round, partition, step)
     */
    public Masked mask(int[] ids, int sequenceLength, long seed, long... stream) {
        Rng[] rngs = new Rng[sequences(ids, sequenceLength)];
        long[] keys = Arrays.copyOf(stream, stream.length + 1);
        for (int b = 0; b < rngs.length; b++) {
            keys[stream.length] = b;
            rngs[b] = Rng.derive(seed, keys);
        }
        return mask(ids, sequenceLength, rngs);
    }

    /**
     * Masks B sequences, sequence b drawing from {@code rngs[b]}.
     *
     * @param ids            B·T token ids in [0, V), (B, T) row-major; not modified
     * @param sequenceLength T
     * @param rngs           B streams, one per sequence
     */
    public Masked mask(int[] ids, int sequenceLength, Rng[] rngs) {
        int batch = sequences(ids, sequenceLength);
        if (rngs.length != batch) {
            throw new IllegalArgumentException(rngs.length + " random streams for " + batch + " sequences of length " + sequenceLength);
        }
        int[] inputs = ids.clone();
        int[] targets = new int[ids.length];
        Arrays.fill(targets, CrossEntropy.DEFAULT_IGNORE_INDEX);
        for (int b = 0; b < batch; b++) {
            Rng rng = rngs[b];
            for (int i = b * sequenceLength; i < (b + 1) * sequenceLength; i++) {
                if (special[requireId("ids[" + i + "]", ids[i])]) {
                    continue;
                }
                double u = rng.nextDouble();
                if (u >= SELECT) {
                    continue;
                }
                targets[i] = ids[i];
                if (u < MASK_BELOW) {
                    inputs[i] = maskId;
                } else if (u < RANDOM_BELOW) {
                    inputs[i] = ordinaryIds[rng.nextInt(ordinaryIds.length)];
                }
            }
        }
        return new Masked(inputs, targets);
    }

    private static int sequences(int[] ids, int sequenceLength) {
        if (sequenceLength < 1 || ids.length == 0 || ids.length % sequenceLength != 0) {
            throw new IllegalArgumentException("ids has " + ids.length + " tokens, not a positive multiple of sequenceLength " + sequenceLength);
        }
        return ids.length / sequenceLength;
    }
}
