package io.sparklm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.model.EncoderDecoder;
import io.sparklm.model.ModelConfig;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.ModelSpec;
import io.sparklm.nn.Parameter;
import io.sparklm.tensor.Rng;
import org.junit.jupiter.api.Test;

class Seq2SeqGeneratorTest {
    private static final int END = 0;

    /** A random model with weights large enough that its outputs differ by source. */
    private static EncoderDecoder model() {
        EncoderDecoder model = (EncoderDecoder) new ModelSpec(ModelFamily.SEQ2SEQ, ModelConfig.gpt(9, 6, 2, 2, 16)).build(2);
        Rng rng = new Rng(3);
        for (Parameter p : model.parameters().all()) {
            rng.fillNormal(p.value(), 0.5);
        }
        return model;
    }

    @Test
    void batchedDecodingGivesEachSourceTheOutputItHasAlone() {
        Seq2SeqGenerator generator = new Seq2SeqGenerator(model(), END, END);
        int[][] sources = {{1, 2, 3}, {4}, {5, 6, 7, 8, 1}};
        int[][] together = generator.generate(sources, 6, 0, 0, null);
        for (int b = 0; b < sources.length; b++) {
            assertArrayEquals(generator.generate(sources[b], 6, 0, 0, null), together[b], "source " + b);
            assertTrue(together[b].length <= 6);
            for (int token : together[b]) {
                assertTrue(token != END);
            }
        }
    }

    @Test
    void samplingFromTheSingleMostLikelyTokenIsGreedyDecoding() {
        Seq2SeqGenerator generator = new Seq2SeqGenerator(model(), END, END);
        int[][] sources = {{1, 2, 3}, {4, 5}};
        assertArrayEquals(generator.generate(sources, 5, 0, 0, null), generator.generate(sources, 5, 0.7, 1, new Rng(1)));
    }

    @Test
    void sampledDecodingIsReproducibleFromItsRng() {
        Seq2SeqGenerator generator = new Seq2SeqGenerator(model(), END, END);
        int[][] sources = {{1, 2, 3}, {4, 5}};
        assertArrayEquals(generator.generate(sources, 6, 1.0, 4, new Rng(9)), generator.generate(sources, 6, 1.0, 4, new Rng(9)));
    }

    @Test
    void moreTokensThanTheBlockOrLongerSourcesAreRejected() {
        Seq2SeqGenerator generator = new Seq2SeqGenerator(model(), END, END);
        assertEquals("maxTokens must be in [0, model.blockSize = 6], got 7",
                assertThrows(IllegalArgumentException.class, () -> generator.generate(new int[] {1}, 7, 0, 0, null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> generator.generate(new int[7], 3, 0, 0, null));
    }
}
