package io.sparklm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.nn.Activation;
import io.sparklm.nn.Block;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Parameter;
import io.sparklm.nn.PositionalEncoding;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DecoderTest {
    private static final ModelConfig PRE_LEARNED = ModelConfig.gpt(11, 8, 2, 2, 8);
    private static final ModelConfig POST_SINUSOIDAL = new ModelConfig(7, 6, 2, 2, 4, 12, 0.0, Activation.RELU,
            Block.Norm.POST, PositionalEncoding.Kind.SINUSOIDAL);
    private static final float TOL = 1e-5f;

    /** A model with weights N(0, 0.3), large enough that attention is far from uniform. */
    private static Gpt model(ModelConfig config) {
        Gpt gpt = new Gpt(config, 5);
        Rng init = new Rng(6);
        for (Parameter p : gpt.parameters().all()) {
            init.fillNormal(p.value(), 0.3);
        }
        return gpt;
    }

    /** Logits (V) of the last position of a full forward pass over {@code ids}. */
    private static float[] lastRow(Gpt gpt, int[] ids) {
        int v = gpt.config().vocabSize();
        Tensor logits = gpt.forward(ids, 1, ids.length, Cache.inference());
        return Arrays.copyOfRange(logits.data, (ids.length - 1) * v, ids.length * v);
    }

    private static float[] row(Tensor logits, int b) {
        int v = logits.dim(-1);
        return Arrays.copyOfRange(logits.data, b * v, (b + 1) * v);
    }

    @Test
    void promptThenStepsUpToTheBlockGiveTheLastRowOfTheFullForward() {
        for (ModelConfig config : new ModelConfig[] {PRE_LEARNED, POST_SINUSOIDAL}) {
            Gpt gpt = model(config);
            int[] ids = {1, 5, 3, 0, 6, 2, 4, 1};
            int blockSize = config.blockSize();
            Decoder decoder = gpt.decoder(1);
            Tensor logits = decoder.append(0, Arrays.copyOf(ids, 3));
            assertEquals(1, logits.dim(0));
            assertArrayEquals(lastRow(gpt, Arrays.copyOf(ids, 3)), logits.data, TOL);
            for (int t = 3; t < blockSize; t++) {
                logits = decoder.step(new int[] {ids[t]});
                assertEquals(t + 1, decoder.length(0));
                assertArrayEquals(lastRow(gpt, Arrays.copyOf(ids, t + 1)), logits.data, TOL, config + " position " + t);
            }
        }
    }

    @Test
    void appendingInChunksEqualsAppendingAtOnce() {
        Gpt gpt = model(PRE_LEARNED);
        int[] ids = {4, 2, 9, 9, 1, 0, 7};
        Decoder decoder = gpt.decoder(1);
        decoder.append(0, Arrays.copyOf(ids, 3));
        Tensor logits = decoder.append(0, Arrays.copyOfRange(ids, 3, 7));
        assertArrayEquals(lastRow(gpt, ids), logits.data, TOL);
    }

    @Test
    void sequencesOfDifferentLengthsStepTogether() {
        Gpt gpt = model(PRE_LEARNED);
        int[][] prompts = {{3}, {1, 2, 3, 4}, {10, 0}};
        Decoder decoder = gpt.decoder(3);
        for (int b = 0; b < 3; b++) {
            decoder.append(b, prompts[b]);
        }
        int[][] next = {{5, 6}, {7, 8}, {9, 1}};
        for (int step = 0; step < 2; step++) {
            Tensor logits = decoder.step(new int[] {next[0][step], next[1][step], next[2][step]});
            assertArrayEquals(new int[] {3, 11}, logits.shape());
            for (int b = 0; b < 3; b++) {
                int[] whole = Arrays.copyOf(prompts[b], prompts[b].length + step + 1);
                System.arraycopy(next[b], 0, whole, prompts[b].length, step + 1);
                assertArrayEquals(lastRow(gpt, whole), row(logits, b), TOL, "sequence " + b + " step " + step);
            }
        }
        assertEquals(3, decoder.length(0));
        assertEquals(6, decoder.length(1));
    }

    @Test
    void aFullSequenceRefusesMoreTokensUntilCleared() {
        Gpt gpt = model(PRE_LEARNED);
        Decoder decoder = gpt.decoder(1);
        decoder.append(0, new int[] {1, 2, 3, 4, 5, 6, 7, 8});
        IllegalArgumentException full = assertThrows(IllegalArgumentException.class, () -> decoder.step(new int[] {9}));
        assertTrue(full.getMessage().contains("model.blockSize 8"), full.getMessage());
        assertEquals(8, decoder.length(0));
        decoder.clear(0);
        assertEquals(0, decoder.length(0));
        assertArrayEquals(lastRow(gpt, new int[] {5, 6, 7, 8, 9}), decoder.append(0, new int[] {5, 6, 7, 8, 9}).data, TOL);
    }
}
