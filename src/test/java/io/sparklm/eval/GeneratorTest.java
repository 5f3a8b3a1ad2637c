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

    @Test
    void anEmptyPromptIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Generator(model).generate(new int[0], 1, 1, 0, new Rng(1)));
    }
}
