package io.sparklm.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupervisedFineTuningTest {
    private static final int END = 2;

    @Test
    void thePromptsTargetsAreMaskedAndTheResponseEndsWithTheEndId() {
        TokenBatch masked = new SupervisedFineTuning(16, END, true).batch(List.<int[][]>of(new int[][] {{5, 6, 7}, {8, 9}}));
        assertArrayEquals(new int[] {5, 6, 7, 8, 9}, masked.inputs());
        assertArrayEquals(new int[] {-100, -100, 8, 9, END}, masked.targets());
        TokenBatch unmasked = new SupervisedFineTuning(16, END, false).batch(List.<int[][]>of(new int[][] {{5, 6, 7}, {8, 9}}));
        assertArrayEquals(new int[] {6, 7, 8, 9, END}, unmasked.targets());
    }

    @Test
    void aLongPairLosesTheStartOfItsPromptAndPairsArePadded() {
        TokenBatch b = new SupervisedFineTuning(4, END, true).batch(List.<int[][]>of(new int[][] {{5, 6, 7, 8}, {9, 10}}, new int[][] {{5}, {6}}));
        assertEquals(4, b.time());
        assertArrayEquals(new int[] {7, 8, 9, 10, 5, 6, 0, 0}, b.inputs());
        assertArrayEquals(new int[] {-100, 9, 10, END, 6, END, -100, -100}, b.targets());
        assertArrayEquals(new boolean[] {true, true, true, true, true, true, false, false}, b.valid());
    }

    /** The loss is −mean log P over the response tokens and the end only, read off the full logits. */
    @Test
    void theLossCountsTheResponseAndTheEndAndNoPromptToken() {
        Gpt gpt = new Gpt(ModelConfig.gpt(12, 8, 1, 2, 8), 3);
        SupervisedFineTuning sft = new SupervisedFineTuning(8, END, true);
        TokenBatch b = sft.batch(List.<int[][]>of(new int[][] {{5, 6, 7}, {8, 9}}));
        Tensor logits = gpt.forward(b.inputs(), 1, b.time(), Cache.inference());
        double expected = 0;
        int[] next = {8, 9, END};
        for (int k = 0; k < 3; k++) {
            int t = 2 + k;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < 12; v++) {
                max = Math.max(max, logits.data[t * 12 + v]);
            }
            double sum = 0;
            for (int v = 0; v < 12; v++) {
                sum += Math.exp(logits.data[t * 12 + v] - max);
            }
            expected -= logits.data[t * 12 + next[k]] - max - Math.log(sum);
        }
        assertEquals(3.0, sft.weight(gpt, b));
        assertEquals(expected / 3, sft.loss(gpt, b).mean(), 1e-5);
        gpt.parameters().zeroGrad();
        double sum = sft.lossAndGradient(gpt, b, 3.0, Cache.inference());
        assertEquals(expected, sum, 1e-4);
    }
}
