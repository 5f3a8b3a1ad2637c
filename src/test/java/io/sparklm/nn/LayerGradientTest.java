package io.sparklm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every layer's backward agrees with finite differences of its forward. */
class LayerGradientTest {

    private static void assertGradientsMatch(List<String> failures) {
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }

    @Test
    void linearBackwardMatchesFiniteDifferences() {
        Parameters params = new Parameters();
        Linear linear = new Linear(params, "fc", 5, 3, true);
        GradientCheck.randomise(params, 1, 0.5);
        assertGradientsMatch(GradientCheck.layer(linear, GradientCheck.randn(2, 2, 4, 5), params));
    }

    @Test
    void layerNormBackwardMatchesFiniteDifferences() {
        Parameters params = new Parameters();
        LayerNorm ln = new LayerNorm(params, "ln", 6);
        GradientCheck.randomise(params, 3, 0.5);
        assertGradientsMatch(GradientCheck.layer(ln, GradientCheck.randn(4, 3, 6), params));
    }

    @Test
    void feedForwardBackwardMatchesFiniteDifferencesWithGeluAndRelu() {
        for (Activation act : Activation.values()) {
            Parameters params = new Parameters();
            FeedForward ff = new FeedForward(params, "mlp", 4, 16, act);
            GradientCheck.randomise(params, 5, 0.5);
            assertGradientsMatch(GradientCheck.layer(ff, GradientCheck.randn(6, 2, 3, 4), params));
        }
    }

    @Test
    void causalAndBidirectionalAttentionBackwardMatchFiniteDifferences() {
        for (Attention.Mode mode : List.of(Attention.Mode.CAUSAL, Attention.Mode.BIDIRECTIONAL)) {
            Parameters params = new Parameters();
            Attention attn = new Attention(params, "attn", 8, 2, mode);
            GradientCheck.randomise(params, 7, 0.4);
            assertGradientsMatch(GradientCheck.layer(attn, GradientCheck.randn(8, 2, 5, 8), params));
        }
    }

    @Test
    void paddedBidirectionalAttentionBackwardMatchesFiniteDifferences() {
        Parameters params = new Parameters();
        Attention attn = new Attention(params, "attn", 4, 2, Attention.Mode.BIDIRECTIONAL);
        GradientCheck.randomise(params, 9, 0.4);
        Tensor x = GradientCheck.randn(10, 2, 4, 4);
        boolean[] valid = {true, true, true, false, true, false, false, false};
        Cache[] last = new Cache[1];
        Tensor[] dx = new Tensor[1];
        GradientCheck.Pass pass = new GradientCheck.Pass() {
            @Override
            public Tensor forward() {
                last[0] = Cache.inference().withKeyValid(valid);
                return attn.forward(x, last[0]);
            }

            @Override
            public void backward(Tensor dOut) {
                dx[0] = attn.backward(dOut, last[0]);
            }
        };
        assertGradientsMatch(GradientCheck.check(pass, params, List.of(x), () -> List.of(dx[0])));
    }

    @Test
    void crossAttentionBackwardMatchesFiniteDifferencesForQueriesAndMemory() {
        Parameters params = new Parameters();
        Attention attn = new Attention(params, "cross", 4, 2, Attention.Mode.CROSS);
        GradientCheck.randomise(params, 11, 0.4);
        Tensor x = GradientCheck.randn(12, 2, 3, 4);
        Tensor memory = GradientCheck.randn(13, 2, 5, 4);
        boolean[] memoryValid = {true, true, true, true, false, true, true, false, false, false};
        Cache[] last = new Cache[1];
        Attention.CrossGradients[] grads = new Attention.CrossGradients[1];
        GradientCheck.Pass pass = new GradientCheck.Pass() {
            @Override
            public Tensor forward() {
                last[0] = Cache.inference().withMemoryValid(memoryValid);
                return attn.forward(x, memory, last[0]);
            }

            @Override
            public void backward(Tensor dOut) {
                grads[0] = attn.backwardCross(dOut, last[0]);
            }
        };
        assertGradientsMatch(GradientCheck.check(pass, params, List.of(x, memory),
                () -> List.of(grads[0].dx(), grads[0].dMemory())));
    }

    @Test
    void preAndPostNormBlocksBackwardMatchFiniteDifferences() {
        for (Block.Norm norm : Block.Norm.values()) {
            Parameters params = new Parameters();
            Block block = new Block(params, "h.0", 8, 2, 16, Activation.GELU, norm, Attention.Mode.CAUSAL, false, 0.0);
            GradientCheck.randomise(params, 15, 0.3);
            assertGradientsMatch(GradientCheck.layer(block, GradientCheck.randn(16, 2, 4, 8), params));
        }
    }

    @Test
    void decoderBlockWithCrossAttentionBackwardMatchesFiniteDifferences() {
        Parameters params = new Parameters();
        Block block = new Block(params, "h.0", 4, 2, 8, Activation.RELU, Block.Norm.PRE, Attention.Mode.CAUSAL, true, 0.0);
        GradientCheck.randomise(params, 17, 0.3);
        Tensor x = GradientCheck.randn(18, 2, 3, 4);
        Tensor memory = GradientCheck.randn(19, 2, 4, 4);
        Cache[] last = new Cache[1];
        Tensor[] grads = new Tensor[2];
        GradientCheck.Pass pass = new GradientCheck.Pass() {
            @Override
            public Tensor forward() {
                last[0] = Cache.inference();
                return block.forward(x, memory, last[0]);
            }

            @Override
            public void backward(Tensor dOut) {
                grads[1] = Tensor.zeros(memory.shape());
                grads[0] = block.backward(dOut, last[0], grads[1]);
            }
        };
        assertGradientsMatch(GradientCheck.check(pass, params, List.of(x, memory), () -> List.of(grads[0], grads[1])));
    }

    @Test
    void dropoutBackwardUsesTheForwardMaskAndIsIdentityAtInference() {
        Dropout dropout = new Dropout(0.5);
        Tensor x = GradientCheck.randn(20, 1000);
        Cache cache = Cache.training(new io.sparklm.tensor.Rng(21));
        Tensor y = dropout.forward(x, cache);
        Tensor dx = dropout.backward(Tensor.of(filled(1000, 1f), 1000), cache);
        int kept = 0;
        for (int i = 0; i < 1000; i++) {
            boolean keep = y.data[i] != 0f;
            kept += keep ? 1 : 0;
            assertEquals(keep ? 2f * x.data[i] : 0f, y.data[i], 1e-6f);
            assertEquals(keep ? 2f : 0f, dx.data[i], 0f);
        }
        assertTrue(kept > 430 && kept < 570, "kept " + kept + " of 1000 at p = 0.5");
        assertEquals(x, dropout.forward(x, Cache.inference()));
    }

    @Test
    void aDeliberatelyBrokenBackwardFailsTheCheck() {
        Parameters params = new Parameters();
        Linear linear = new Linear(params, "fc", 3, 3, true);
        GradientCheck.randomise(params, 22, 0.5);
        Layer transposedWeight = new Layer() {
            @Override
            public Tensor forward(Tensor x, Cache cache) {
                return linear.forward(x, cache);
            }

            @Override
            public Tensor backward(Tensor dy, Cache cache) {
                Tensor dx = linear.backward(dy, cache);
                Tensor x = cache.get("x");
                Tensor wrong = Tensor.zeros(x.shape());
                float[] w = linear.weight().value().data;
                for (int r = 0; r < x.rows(); r++) {
                    for (int i = 0; i < 3; i++) {
                        float s = 0f;
                        for (int o = 0; o < 3; o++) {
                            s += dy.data[r * 3 + o] * w[o * 3 + i];
                        }
                        wrong.data[r * 3 + i] = s;
                    }
                }
                assertEquals(dx.size(), wrong.size());
                return wrong;
            }
        };
        Layer wrongSign = new Layer() {
            @Override
            public Tensor forward(Tensor x, Cache cache) {
                return linear.forward(x, cache);
            }

            @Override
            public Tensor backward(Tensor dy, Cache cache) {
                Tensor dx = linear.backward(dy, cache);
                for (int i = 0; i < dx.size(); i++) {
                    dx.data[i] = -dx.data[i];
                }
                return dx;
            }
        };
        assertFalse(GradientCheck.layer(transposedWeight, GradientCheck.randn(23, 4, 3), params).isEmpty());
        assertFalse(GradientCheck.layer(wrongSign, GradientCheck.randn(23, 4, 3), params).isEmpty());
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
