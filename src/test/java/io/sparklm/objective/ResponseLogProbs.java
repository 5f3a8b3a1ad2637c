package io.sparklm.objective;

import io.sparklm.model.Gpt;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Tensor;

/** log π(y|x) read off the full logits of {@link Gpt#forward}: the specification DPO's per-sequence sums are checked against. */
public final class ResponseLogProbs {
    private ResponseLogProbs() {
    }

    /**
     * Σ log softmax(z_t)[x_{t+1}] over the positions t that predict the response's tokens and the
     * end, of the one sequence prompt · response · end (no padding, shorter than the block).
     */
    public static double of(Gpt gpt, int[] prompt, int[] response, int end) {
        int[] sequence = new int[prompt.length + response.length + 1];
        System.arraycopy(prompt, 0, sequence, 0, prompt.length);
        System.arraycopy(response, 0, sequence, prompt.length, response.length);
        sequence[sequence.length - 1] = end;
        int time = sequence.length - 1;
        int v = gpt.config().vocabSize();
        Tensor logits = gpt.forward(java.util.Arrays.copyOf(sequence, time), 1, time, Cache.inference());
        double sum = 0;
        for (int t = prompt.length - 1; t < time; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, logits.data[t * v + k]);
            }
            double exp = 0;
            for (int k = 0; k < v; k++) {
                exp += Math.exp(logits.data[t * v + k] - max);
            }
            sum += logits.data[t * v + sequence[t + 1]] - max - Math.log(exp);
        }
        return sum;
    }
}
