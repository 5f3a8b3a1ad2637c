package io.sparklm.objective;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.loss.LossResult;
import io.sparklm.model.Model;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.PaddedSequences;
import io.sparklm.nn.Cache;
import java.util.Arrays;
import java.util.List;

/**
 * Supervised fine-tuning of a GPT on (prompt, response) records (seeds-digest §7): the causal-LM loss
 * of the sequence prompt · response · end, with the prompt's tokens masked out of the loss unless
 * {@code maskPrompt} is off,
 * <pre>
 *   L = −(1/N) Σ_{t : x_{t+1} in the response or end} log P(x_{t+1} | x_≤t)
 * </pre>
 * N the response tokens counted (the batch weight). Sequences longer than blockSize + 1 lose the
 * start of their prompt; batches are right-padded. Loss, gradient and weight are the causal LM's
 * ({@link CausalLmObjective}), only the targets differ, so prompt tokens get exactly zero gradient.
 */
public final class SupervisedFineTuning implements Objective {
    public static final String NAME = "sft";
    public static final int FIELDS = 2;
    private final CausalLmObjective causalLm;
    private final int blockSize;
    private final int endId;
    private final boolean maskPrompt;

    public SupervisedFineTuning(int blockSize, int endId, boolean maskPrompt) {
        this.causalLm = new CausalLmObjective(blockSize);
        this.blockSize = blockSize;
        this.endId = endId;
        this.maskPrompt = maskPrompt;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelFamily family() {
        return ModelFamily.DECODER;
    }

    @Override
    public TokenBatch sample(Examples examples, int batchSize, Draw draw) {
        return batch(examples.drawn(FIELDS, batchSize, draw.rng(0), "(prompt, response) record"));
    }

    @Override
    public List<Batch> evaluationBatches(Examples examples, int batchSize, int maxItems) {
        return examples.inOrder(FIELDS, batchSize, maxItems, this::batch);
    }

    /** Inputs prompt · response, targets shifted by one with the prompt's masked, right-padded. */
    public TokenBatch batch(List<int[][]> pairs) {
        int[][] inputs = new int[pairs.size()][];
        int[][] targets = new int[pairs.size()][];
        for (int b = 0; b < pairs.size(); b++) {
            int[] prompt = pairs.get(b)[0];
            int[] response = pairs.get(b)[1];
            int[] sequence = new int[prompt.length + response.length + 1];
            System.arraycopy(prompt, 0, sequence, 0, prompt.length);
            System.arraycopy(response, 0, sequence, prompt.length, response.length);
            sequence[sequence.length - 1] = endId;
            int cut = Math.max(0, sequence.length - (blockSize + 1));
            int[] kept = Arrays.copyOfRange(sequence, cut, sequence.length);
            int promptKept = Math.max(0, prompt.length - cut);
            inputs[b] = Arrays.copyOf(kept, kept.length - 1);
            targets[b] = Arrays.copyOfRange(kept, 1, kept.length);
            if (maskPrompt) {
                Arrays.fill(targets[b], 0, Math.max(0, promptKept - 1), CrossEntropy.DEFAULT_IGNORE_INDEX);
            }
        }
        PaddedSequences padded = PaddedSequences.rightPadded(inputs);
        int[] flatTargets = new int[padded.ids().length];
        Arrays.fill(flatTargets, CrossEntropy.DEFAULT_IGNORE_INDEX);
        for (int b = 0; b < targets.length; b++) {
            System.arraycopy(targets[b], 0, flatTargets, b * padded.time(), targets[b].length);
        }
        return new TokenBatch(padded.ids(), flatTargets, padded.valid(), padded.size(), padded.time());
    }

    @Override
    public double weight(Model model, Batch batch) {
        return causalLm.weight(model, batch);
    }

    @Override
    public double lossAndGradient(Model model, Batch batch, double normaliser, Cache cache) {
        return causalLm.lossAndGradient(model, batch, normaliser, cache);
    }

    @Override
    public LossResult loss(Model model, Batch batch) {
        return causalLm.loss(model, batch);
    }
}
