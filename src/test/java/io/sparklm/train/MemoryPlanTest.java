package io.sparklm.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import org.junit.jupiter.api.Test;

class MemoryPlanTest {
    private static final long GIB = 1L << 30;
    private static final ModelConfig GPT2_SMALL = ModelConfig.gpt(50257, 256, 12, 12, 768);

    /** V·C + T·C + L·(12C² + 13C) + 2C: embeddings, per block c_attn, c_proj, c_fc, mlp.c_proj and two LayerNorms, ln_f. */
    private static long gptParameters(ModelConfig m) {
        long c = m.width();
        return m.vocabSize() * c + m.blockSize() * c + m.layers() * (12 * c * c + 13 * c) + 2 * c;
    }

    @Test
    void theParameterFormulaOfTheTestMatchesTheModel() {
        ModelConfig small = ModelConfig.gpt(101, 16, 3, 2, 24);
        assertEquals(new Gpt(small, 1).parameters().count(), gptParameters(small));
        assertEquals(123_849_984L, gptParameters(GPT2_SMALL));
    }

    @Test
    void gpt2SmallMovesFourBytesAParameterEachWayAndHoldsOneChunkOfLogitsOnTheHeap() {
        long n = gptParameters(GPT2_SMALL);
        MemoryPlan plan = MemoryPlan.of(GPT2_SMALL, n, "adamw", 0, 2, 1, 2, SparkTrainer.DEFAULT_EXCHANGE_CHUNK);
        assertEquals(4 * n, plan.bytesInPerWorker());
        assertEquals(4 * n, plan.bytesOutPerWorker());
        assertEquals(8 * n, plan.stateBytesPerWorker());
        long activations = 4L * 2 * 256 * (14 * (8 * 768 + 2 * 3072) + 12 * 12 * 256);
        long head = 4L * (1 << 24);
        assertEquals((long) (1.15 * (16 * n + activations + head + 8L * SparkTrainer.DEFAULT_EXCHANGE_CHUNK)), plan.perTaskBytes(),
                plan.describe());
    }

    @Test
    void twoGpt2SmallWorkersFitTheDefaultEightGigabyteHeapInLocalModeAndFourAreRefusedNamingTheSettings() {
        long n = gptParameters(GPT2_SMALL);
        MemoryPlan two = MemoryPlan.of(GPT2_SMALL, n, "adamw", 0, 2, 1, 2, SparkTrainer.DEFAULT_EXCHANGE_CHUNK);
        assertDoesNotThrow(() -> two.requireFits(GIB, 8 * GIB, true, 2));
        MemoryPlan four = MemoryPlan.of(GPT2_SMALL, n, "adamw", 0, 2, 1, 4, SparkTrainer.DEFAULT_EXCHANGE_CHUNK);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> four.requireFits(GIB, 8 * GIB, true, 4));
        assertTrue(e.getMessage().contains("SPARKLM_HEAP") && e.getMessage().contains("train.batchSize")
                && e.getMessage().contains("4 concurrent tasks"), e.getMessage());
    }

    @Test
    void onAClusterTheExecutorHeapIsCheckedAgainstItsTasksAndTheDriverAgainstItsCopies() {
        long n = gptParameters(GPT2_SMALL);
        MemoryPlan plan = MemoryPlan.of(GPT2_SMALL, n, "adamw", 0, 4, 1, 1, SparkTrainer.DEFAULT_EXCHANGE_CHUNK);
        IllegalArgumentException executor = assertThrows(IllegalArgumentException.class, () -> plan.requireFits(GIB, 8 * GIB, false, 1));
        assertTrue(executor.getMessage().contains("spark.executor.memory is 1.00 GiB"), executor.getMessage());
        IllegalArgumentException driver = assertThrows(IllegalArgumentException.class, () -> plan.requireFits(16 * GIB, GIB, false, 1));
        assertTrue(driver.getMessage().contains("raise spark.driver.memory"), driver.getMessage());
        assertDoesNotThrow(() -> plan.requireFits(8 * GIB, 4 * GIB, false, 1));
    }
}
