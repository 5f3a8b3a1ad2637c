package io.sparklm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    private final Gpt model = new Gpt(ModelConfig.gpt(7, 4, 1, 1, 8), 3);

    @Test
    void greedyDecodingPicksTheArgmaxAndKeepsThePrompt() {
        int[] out = new Generator(model).generate(new int[] {1, 2}, 3, 0, 0, new Rng(1));
        assertEquals(5, out.length);
        assertArrayEquals(new int[] {1, 2}, java.util.Arrays.copyOf(out, 2));
        Tensor logits = model.forward(new int[] {1, 2}, 1, 2, Cache.inference());
        int best = 0;
        for (int i = 1; i < 7; i++) {
            if (logits.data[7 + i] > logits.data[7 + best]) {
                best = i;
            }
        }
        assertEquals(best, out[2]);
    }

    @Test
    void topOneSamplingEqualsGreedyAndSamplingIsSeeded() {
        Generator g = new Generator(model);
        assertArrayEquals(g.generate(new int[] {3}, 6, 0, 0, new Rng(1)), g.generate(new int[] {3}, 6, 1.5, 1, new Rng(2)));
        assertArrayEquals(g.generate(new int[] {3}, 6, 1.0, 0, new Rng(7)), g.generate(new int[] {3}, 6, 1.0, 0, new Rng(7)));
        for (int token : g.generate(new int[] {3}, 20, 1.0, 3, new Rng(9))) {
            assertTrue(token >= 0 && token < 7);
        }
    }

    /**
     * The uncached reference: a full forward pass over the context at every step, the context being
     * the last blockSize tokens of the prompt and then, whenever it would exceed blockSize, the last
     * {@link Generator#window} tokens.
     */
    private static int[] generateByFullForward(Gpt gpt, int[] prompt, int count, double temperature, int topK, Rng rng) {
        int blockSize = gpt.config().blockSize();
        int v = gpt.config().vocabSize();
        int[] out = java.util.Arrays.copyOf(prompt, prompt.length + count);
        int start = Math.max(0, prompt.length - blockSize);
        for (int length = prompt.length; length < out.length; length++) {
            if (length - start > blockSize) {
                start = length - Generator.window(blockSize);
            }
            int t = length - start;
            Tensor logits = gpt.forward(java.util.Arrays.copyOfRange(out, start, length), 1, t, Cache.inference());
            out[length] = Generator.pick(java.util.Arrays.copyOfRange(logits.data, (t - 1) * v, t * v), temperature, topK, rng);
        }
        return out;
    }

    @Test
    void cachedGenerationGivesTheTokensOfFullForwardPasses() {
        Gpt gpt = new Gpt(ModelConfig.gpt(13, 8, 2, 2, 8), 4);
        Rng init = new Rng(5);
        for (io.sparklm.nn.Parameter p : gpt.parameters().all()) {
            init.fillNormal(p.value(), 0.5);
        }
        Generator g = new Generator(gpt);
        double[][] settings = {{0, 0}, {0.9, 0}, {1.3, 3}, {0.7, 12}};
        int[][] prompts = {{2, 7}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}};
        for (double[] s : settings) {
            for (int[] prompt : prompts) {
                for (int count : new int[] {8 - prompt.length, 21}) {
                    if (count <= 0) {
                        continue;
                    }
                    int[] cached = g.generate(prompt, count, s[0], (int) s[1], new Rng(11));
                    int[] full = generateByFullForward(gpt, prompt, count, s[0], (int) s[1], new Rng(11));
                    assertArrayEquals(full, cached, "temperature " + s[0] + " top-k " + s[1] + " prompt " + prompt.length + " count " + count);
                }
            }
        }
    }

    @Test
    void aFullContextIsRefilledWithHalfABlock() {
        assertEquals(4, Generator.window(8));
        assertEquals(4, Generator.window(7));
        assertEquals(1, Generator.window(1));
    }

    @Test
    void anEmptyPromptIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Generator(model).generate(new int[0], 1, 1, 0, new Rng(1)));
    }
}
