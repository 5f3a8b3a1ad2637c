package io.sparklm.rlhf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PolicySamplesTest {
    private static final int BLOCK = 8;
    private static final Gpt POLICY = new Gpt(ModelConfig.gpt(12, BLOCK, 1, 2, 8), 3);
    private static final Gpt REFERENCE = new Gpt(ModelConfig.gpt(12, BLOCK, 1, 2, 8), 4);

    /**
     * Σ log softmax(logits_t)[x_{t+1}] over the response's positions of the last blockSize tokens of
     * x · y, from the full logits of one forward pass.
     */
    private static double logProbFromLogits(Gpt model, int[] prompt, int[] response) {
        int[] all = RolloutsTest.concat(prompt, response);
        int[] window = java.util.Arrays.copyOfRange(all, Math.max(0, all.length - BLOCK), all.length);
        Tensor logits = model.forward(window, 1, window.length, Cache.inference());
        int v = model.config().vocabSize();
        double sum = 0;
        for (int t = Math.max(1, window.length - response.length); t < window.length; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) {
                max = Math.max(max, logits.data[(t - 1) * v + j]);
            }
            double z = 0;
            for (int j = 0; j < v; j++) {
                z += Math.exp(logits.data[(t - 1) * v + j] - max);
            }
            sum += logits.data[(t - 1) * v + window[t]] - max - Math.log(z);
        }
        return sum;
    }

    @Test
    void logProbSumsTheResponseTokensLogSoftmaxOverTheLastBlock() {
        int[][][] cases = {
            {{5, 6}, {7, 8, 9}},                 // fits the block
            {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10}}, // the prompt's head falls out of the block
            {{1, 2}, {3, 4, 5, 6, 7, 8, 9, 10, 11}}, // the response alone overflows it
        };
        for (int[][] c : cases) {
            assertEquals(logProbFromLogits(POLICY, c[0], c[1]), PolicySamples.logProb(POLICY, c[0], c[1]), 1e-4);
            assertEquals(logProbFromLogits(POLICY, c[0], c[1]) - logProbFromLogits(REFERENCE, c[0], c[1]),
                    PolicySamples.logRatio(POLICY, REFERENCE, c[0], c[1]), 2e-4);
        }
        assertEquals(0, PolicySamples.logProb(POLICY, new int[] {1}, new int[0]));
        assertEquals(0, PolicySamples.logRatio(POLICY, POLICY, new int[] {1, 2}, new int[] {3, 4}));
    }
}
