package io.sparklm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklm.loss.CausalLm;
import io.sparklm.loss.LossResult;
import io.sparklm.model.Gpt;
import io.sparklm.objective.CausalLmObjective;
import io.sparklm.objective.TokenBatch;
import io.sparklm.model.EncoderDecoder;
import io.sparklm.model.ModelConfig;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.ModelSpec;
import io.sparklm.objective.Seq2SeqBatch;
import io.sparklm.objective.Seq2SeqObjective;
import java.util.List;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Parallel;
import io.sparklm.tensor.Rng;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MicroBatchGradientTest {
    private static final ModelConfig MODEL = ModelConfig.gpt(13, 6, 2, 2, 16);
    /** Three blocks of six, so two threads take uneven micro-batches of one and two blocks; two targets ignored. */
    private static final CausalLm.Batch BATCH = new CausalLm.Batch(
            new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 1, 2, 3, 4, 5},
            new int[] {2, 3, 4, 5, 6, 7, 8, -100, 10, 11, 12, 0, 1, 2, 3, -100, 5, 6}, 3, 6);

    private static <T> T withThreads(int threads, Supplier<T> body) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            return body.get();
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static float[] gradient(int threads, Cache cache, double[] loss) {
        Gpt model = new Gpt(MODEL, 4);
        LossResult r = withThreads(threads, () -> new MicroBatchGradient(model, new CausalLmObjective(model.config().blockSize())).compute(TokenBatch.of(BATCH), cache));
        loss[0] = r.sum();
        assertEquals(16, r.weight());
        return model.parameters().flattenGrad();
    }

    @Test
    void twoMicroBatchesOnTwoThreadsGiveTheGradientOfTheWholeBatchMean() {
        double[] single = new double[1];
        double[] split = new double[1];
        float[] one = gradient(1, Cache.inference(), single);
        float[] two = gradient(2, Cache.inference(), split);
        assertEquals(single[0], split[0], 1e-5 * single[0]);
        assertArrayEquals(one, two, 1e-6f);
    }

    @Test
    void aSecondPassOverTheSameBatchGivesTheSameGradientBecauseEveryReplicaStartsFromZero() {
        Gpt model = new Gpt(MODEL, 4);
        MicroBatchGradient gradient = new MicroBatchGradient(model, new CausalLmObjective(model.config().blockSize()));
        float[][] grads = new float[2][];
        for (int pass = 0; pass < 2; pass++) {
            withThreads(2, () -> gradient.compute(TokenBatch.of(BATCH), Cache.inference()));
            grads[pass] = model.parameters().flattenGrad();
        }
        assertArrayEquals(grads[0], grads[1], 0f);
        assertArrayEquals(gradient(1, Cache.inference(), new double[1]), grads[1], 1e-6f);
    }

    @Test
    void aFixedThreadCountGivesBitIdenticalGradientsWithDropout() {
        ModelConfig dropped = MODEL.withDropout(0.2);
        float[][] grads = new float[2][];
        for (int run = 0; run < 2; run++) {
            Gpt model = new Gpt(dropped, 4);
            MicroBatchGradient gradient = new MicroBatchGradient(model, new CausalLmObjective(model.config().blockSize()));
            for (int step = 0; step < 2; step++) {
                Cache cache = Cache.training(new Rng(step));
                withThreads(2, () -> gradient.compute(TokenBatch.of(BATCH), cache));
            }
            grads[run] = model.parameters().flattenGrad();
        }
        assertArrayEquals(grads[0], grads[1], 0f);
    }

    @Test
    void smallProductsSplitTheBatchOverThreadsAndLargeOnesSplitEachProductInstead() {
        int threads = Parallel.availableThreads();
        Gpt small = new Gpt(ModelConfig.gpt(10, 64, 1, 2, 32), 1);
        assertEquals(Math.min(threads, 4), new MicroBatchGradient(small, new CausalLmObjective(small.config().blockSize())).parts(TokenBatch.of(CausalLm.batch(new int[4 * 65], 64))));
        Gpt wide = new Gpt(ModelConfig.gpt(10, 256, 1, 8, 512), 1);
        assertEquals(1, new MicroBatchGradient(wide, new CausalLmObjective(wide.config().blockSize())).parts(TokenBatch.of(CausalLm.batch(new int[4 * 257], 256))),
                "4·256 rows × 512² multiply-adds per product: no gradient replica");
    }

    /** Three pairs of different lengths, so the two micro-batches carry the whole batch's padding. */
    @Test
    void seq2seqOnTwoThreadsGivesTheGradientOfOneThread() {
        Seq2SeqObjective objective = new Seq2SeqObjective(6, 1, 2);
        Seq2SeqBatch batch = objective.batch(List.of(new int[][] {{3, 4, 5}, {5, 4}}, new int[][] {{6}, {6, 7, 8, 9}},
                new int[][] {{7, 8, 9, 10, 11}, {3}}));
        float[][] grads = new float[2][];
        double[] sums = new double[2];
        for (int threads = 1; threads <= 2; threads++) {
            EncoderDecoder model = (EncoderDecoder) new ModelSpec(ModelFamily.SEQ2SEQ, MODEL).build(4);
            MicroBatchGradient gradient = new MicroBatchGradient(model, objective);
            assertEquals(withThreads(threads, Parallel::availableThreads), withThreads(threads, () -> gradient.parts(batch)),
                    "one micro-batch per thread");
            LossResult r = withThreads(threads, () -> gradient.compute(batch, Cache.inference()));
            assertEquals(3 + 5 + 2, r.weight());
            sums[threads - 1] = r.sum();
            grads[threads - 1] = model.parameters().flattenGrad();
        }
        assertEquals(sums[0], sums[1], 1e-5 * sums[0]);
        assertArrayEquals(grads[0], grads[1], 1e-6f);
    }
}
