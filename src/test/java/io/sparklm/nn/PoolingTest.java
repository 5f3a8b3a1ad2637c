package io.sparklm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.nn.Pooling.Kind;
import io.sparklm.tensor.Tensor;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PoolingTest {
    /** (B, T, C) = (1, 3, 2): h_t = (t + 1, 10·(t + 1)). */
    private static final Tensor STEPS = Tensor.of(new float[] {1, 10, 2, 20, 3, 30}, 1, 3, 2);
    /** Three sequences of five: right-padded, left-padded, unpadded. */
    private static final boolean[] PADDED = {
        true, true, true, false, false,
        false, true, true, true, true,
        true, true, true, true, true};

    private static Tensor pool(Kind kind, Tensor h, boolean[] valid) {
        return new Pooling(new Parameters(), "pool", h.dim(2), kind).forward(h, valid, Cache.inference());
    }

    @Test
    void clsReadsPositionZeroMeanAveragesValidPositionsAndLastReadsTheLastValidOne() {
        boolean[] lastIsPadding = {true, true, false};
        assertArrayEquals(new float[] {1, 10}, pool(Kind.CLS, STEPS, lastIsPadding).data, 0f);
        assertArrayEquals(new float[] {1.5f, 15}, pool(Kind.MEAN, STEPS, lastIsPadding).data, 0f);
        assertArrayEquals(new float[] {2, 20}, pool(Kind.LAST, STEPS, lastIsPadding).data, 0f);
        assertArrayEquals(new float[] {2, 20}, pool(Kind.MEAN, STEPS, null).data, 1e-6f);
        assertArrayEquals(new float[] {3, 30}, pool(Kind.LAST, STEPS, null).data, 0f);
    }

    @Test
    void attentionWeightsAreTheSoftmaxOfContextScoresOverValidPositions() {
        Parameters params = new Parameters();
        Pooling pooling = new Pooling(params, "pool", 2, Kind.ATTENTION);
        float[] w = params.get("pool.weight").value().data;
        w[0] = .5f;
        w[3] = .1f;
        params.get("pool.bias").value().data[1] = -1f;
        params.get("pool.context").value().data[0] = 2f;
        params.get("pool.context").value().data[1] = -1f;
        Tensor pooled = pooling.forward(STEPS, new boolean[] {true, false, true}, Cache.inference());
        double e0 = 2 * Math.tanh(.5) - Math.tanh(1 - 1);
        double e2 = 2 * Math.tanh(1.5) - Math.tanh(3 - 1);
        double a0 = Math.exp(e0) / (Math.exp(e0) + Math.exp(e2));
        assertArrayEquals(new float[] {(float) (a0 * 1 + (1 - a0) * 3), (float) (a0 * 10 + (1 - a0) * 30)}, pooled.data, 1e-5f);
    }

    @Test
    void attentionWithAZeroContextVectorStartsAsMeanPooling() {
        Parameters params = new Parameters();
        Pooling pooling = new Pooling(params, "pool", 4, Kind.ATTENTION);
        GradientCheck.randomise(params, 1, .5);
        params.get("pool.context").value().fill(0f);
        Tensor h = GradientCheck.randn(2, 3, 5, 4);
        assertArrayEquals(pool(Kind.MEAN, h, PADDED).data, pooling.forward(h, PADDED, Cache.inference()).data, 1e-6f);
    }

    @Test
    void attentionRegistersWeightBiasAndContextUnderItsNameAndTheOtherKindsNothing() {
        Parameters params = new Parameters();
        new Pooling(params, "classifier.pool", 6, Kind.ATTENTION);
        assertArrayEquals(new int[] {6, 6}, params.get("classifier.pool.weight").value().shape());
        assertArrayEquals(new int[] {6}, params.get("classifier.pool.bias").value().shape());
        assertArrayEquals(new int[] {6}, params.get("classifier.pool.context").value().shape());
        assertEquals(48, params.count());
        for (Kind kind : List.of(Kind.CLS, Kind.MEAN, Kind.LAST)) {
            Parameters none = new Parameters();
            new Pooling(none, "pool", 6, kind);
            assertEquals(0, none.count());
        }
    }

    @Test
    void aSequenceWithNoValidPositionPoolsToZerosAndPassesNoGradient() {
        boolean[] secondEmpty = {true, true, true, false, false, false};
        Tensor h = GradientCheck.randn(3, 2, 3, 4);
        for (Kind kind : List.of(Kind.ATTENTION, Kind.MEAN, Kind.LAST)) {
            Parameters params = new Parameters();
            Pooling pooling = new Pooling(params, "pool", 4, kind);
            GradientCheck.randomise(params, 4, .5);
            Cache cache = Cache.inference();
            Tensor pooled = pooling.forward(h, secondEmpty, cache);
            for (int c = 4; c < 8; c++) {
                assertEquals(0f, pooled.data[c], kind + " pooled[1]");
            }
            Tensor dPooled = Tensor.zeros(2, 4);
            dPooled.fill(1f);
            Tensor dh = pooling.backward(dPooled, cache);
            for (int k = 12; k < 24; k++) {
                assertEquals(0f, dh.data[k], kind + " dh of the empty sequence");
            }
        }
    }

    @Test
    void forwardWithoutAMaskReadsTheKeyValidMaskOfThePass() {
        Tensor h = GradientCheck.randn(5, 3, 5, 4);
        Pooling pooling = new Pooling(new Parameters(), "pool", 4, Kind.LAST);
        Tensor fromCache = pooling.forward(h, Cache.inference().withKeyValid(PADDED).child("pool"));
        assertArrayEquals(pool(Kind.LAST, h, PADDED).data, fromCache.data, 0f);
    }

    @Test
    void everyKindBackwardMatchesFiniteDifferencesWithPaddingForHiddenStatesAndParameters() {
        for (Kind kind : Kind.values()) {
            Parameters params = new Parameters();
            Pooling pooling = new Pooling(params, "pool", 4, kind);
            GradientCheck.randomise(params, 6, .5);
            List<String> failures = check(pooling, params, GradientCheck.randn(7, 3, 5, 4), PADDED, dh -> { });
            assertTrue(failures.isEmpty(), () -> kind + "\n" + String.join("\n", failures));
        }
    }

    @Test
    void unpaddedAttentionBackwardMatchesFiniteDifferences() {
        Parameters params = new Parameters();
        Pooling pooling = new Pooling(params, "pool", 8, Kind.ATTENTION);
        GradientCheck.randomise(params, 8, .4);
        List<String> failures = check(pooling, params, GradientCheck.randn(9, 2, 6, 8), null, dh -> { });
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }

    @Test
    void aBackwardWithOneTermOffByOnePercentFailsTheTightCheckThatTheExactOnePasses() {
        Parameters params = new Parameters();
        Pooling attention = new Pooling(params, "pool", 4, Kind.ATTENTION);
        GradientCheck.randomise(params, 10, .5);
        Tensor h = GradientCheck.randn(11, 3, 5, 4);
        Parameter context = params.get("pool.context");
        Consumer<Tensor> contextOff = dh -> scale(context.grad(), 1.01f);
        assertTrue(check(attention, params, h, PADDED, dh -> { }).isEmpty());
        List<String> failures = check(attention, params, h, PADDED, contextOff);
        assertEquals(4, failures.size(), () -> "every entry of ∂v × 1.01 fails, nothing else:\n" + String.join("\n", failures));
        assertTrue(failures.stream().allMatch(f -> f.startsWith("pool.context")), () -> String.join("\n", failures));
        assertTrue(check(attention, params, h, PADDED, contextOff, GradientCheck.LAYERS).isEmpty(),
                "the layers' 2% tolerance does not see a 1% error: hence TIGHT");

        Pooling mean = new Pooling(new Parameters(), "pool", 4, Kind.MEAN);
        assertTrue(check(mean, new Parameters(), h, PADDED, dh -> { }).isEmpty());
        assertFalse(check(mean, new Parameters(), h, PADDED, dh -> scale(dh, 1.01f)).isEmpty(), "∂h × 1.01 passed the tight check");
    }

    @Test
    void mismatchedShapesAreRejected() {
        Pooling pooling = new Pooling(new Parameters(), "pool", 4, Kind.MEAN);
        assertThrows(IllegalArgumentException.class, () -> pooling.forward(Tensor.zeros(2, 3, 5), null, Cache.inference()));
        assertThrows(IllegalArgumentException.class, () -> pooling.forward(Tensor.zeros(6, 4), null, Cache.inference()));
        assertThrows(IllegalArgumentException.class, () -> pooling.forward(Tensor.zeros(2, 3, 4), new boolean[5], Cache.inference()));
        assertThrows(IllegalArgumentException.class, () -> new Pooling(new Parameters(), "pool", 4, null));
    }

    @Test
    void repeatedPassesThroughOneCacheReuseItsBuffers() {
        Pooling pooling = new Pooling(new Parameters(), "pool", 4, Kind.MEAN);
        Cache cache = Cache.inference();
        Tensor h = GradientCheck.randn(12, 3, 5, 4);
        Tensor first = pooling.forward(h, PADDED, cache);
        Tensor dh = pooling.backward(first, cache);
        assertSame(first, pooling.forward(h, PADDED, cache));
        assertSame(dh, pooling.backward(first, cache));
    }

    private static List<String> check(Pooling pooling, Parameters params, Tensor h, boolean[] valid, Consumer<Tensor> afterBackward) {
        return check(pooling, params, h, valid, afterBackward, GradientCheck.TIGHT);
    }

    /** The finite-difference check of ∂h and every parameter, {@code afterBackward} altering the backward's result. */
    private static List<String> check(Pooling pooling, Parameters params, Tensor h, boolean[] valid, Consumer<Tensor> afterBackward,
                                      GradientCheck.Tolerance tolerance) {
        Cache[] last = new Cache[1];
        Tensor[] dh = new Tensor[1];
        GradientCheck.Pass pass = new GradientCheck.Pass() {
            @Override
            public Tensor forward() {
                last[0] = Cache.inference();
                return pooling.forward(h, valid, last[0]);
            }

            @Override
            public void backward(Tensor dPooled) {
                dh[0] = pooling.backward(dPooled, last[0]);
                afterBackward.accept(dh[0]);
            }
        };
        return GradientCheck.check(pass, params, List.of(h), () -> List.of(dh[0]), tolerance);
    }

    private static void scale(Tensor t, float factor) {
        for (int i = 0; i < t.size(); i++) {
            t.data[i] *= factor;
        }
    }
}
