package io.sparklm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.loss.LossResult;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Blas;
import io.sparklm.tensor.Parallel;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TiedHeadCrossEntropyTest {
    private static final int N = 10;
    private static final int C = 4;
    private static final int V = 7;
    private static final int[] TARGETS = {3, 0, -100, 6, 1, 1, -100, 2, 5, 4};

    /** h (N, C), E (V, C), and the unfused reference: logits = h·Eᵀ → CrossEntropy → dh, dE. */
    private static final class Case {
        final Tensor h = randn(1, N, C);
        final Tensor e = randn(2, V, C);
        final LossResult reference;
        final float[] dh = new float[N * C];
        final float[] dE = new float[V * C];

        Case() {
            Tensor logits = Tensor.zeros(N, V);
            Blas.gemm(false, true, N, V, C, 1f, h.data, e.data, 0f, logits.data);
            reference = new CrossEntropy().compute(logits, TARGETS);
            Blas.gemm(false, false, N, C, V, 1f, reference.grad().data, e.data, 0f, dh);
            Blas.gemm(true, false, V, C, N, 1f, reference.grad().data, h.data, 0f, dE);
        }
    }

    private static Tensor randn(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        new Rng(seed).fillNormal(t, 1.0);
        return t;
    }

    @Test
    void chunksOfThreeRowsOnTwoThreadsGiveTheUnfusedLossAndGradients() {
        Case c = new Case();
        int threads = Parallel.threads();
        Parallel.setThreads(2);
        try {
            TiedHeadCrossEntropy head = new TiedHeadCrossEntropy(new CrossEntropy(), 3 * V);
            float[] dh = new float[N * C];
            float[] dE = new float[V * C];
            double sum = head.forward(c.h.data, TARGETS, N, C, V, 8, c.e.data, null, dh, dE, null, Cache.inference());
            assertEquals(8, c.reference.weight());
            assertEquals(c.reference.sum(), sum, 1e-5);
            assertArrayEquals(c.dh, dh, 1e-6f);
            assertArrayEquals(c.dE, dE, 1e-6f);
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void theSameThreadCountGivesBitIdenticalGradientsAndTheLossAloneMatches() {
        Case c = new Case();
        TiedHeadCrossEntropy head = new TiedHeadCrossEntropy(new CrossEntropy(), 2 * V);
        float[][] dE = new float[2][V * C];
        float[][] dh = new float[2][N * C];
        for (int run = 0; run < 2; run++) {
            head.forward(c.h.data, TARGETS, N, C, V, 8, c.e.data, null, dh[run], dE[run], null, Cache.inference());
        }
        assertArrayEquals(dE[0], dE[1], 0f);
        assertArrayEquals(dh[0], dh[1], 0f);
        double lossOnly = head.forward(c.h.data, TARGETS, N, C, V, 8, c.e.data, null, null, null, null, Cache.inference());
        assertEquals(c.reference.sum(), lossOnly, 1e-5);
    }
}
