package io.sparklm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.sparklm.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Attention against the vectors of seeds-digest §5 and §12. */
class AttentionVectorsTest {
    private static final float TOL = 1e-5f;

    /** Self-attention whose fused projection is [W_q | W_k | W_v] (each [in, out]) and W^O = I. */
    private static Attention selfAttention(Attention.Mode mode, int width, int heads, double[][] wq, double[][] wk, double[][] wv) {
        Parameters params = new Parameters();
        Attention attn = new Attention(params, "attn", width, heads, mode);
        float[] cAttn = params.get("attn.c_attn.weight").value().data;
        for (int i = 0; i < width; i++) {
            for (int j = 0; j < width; j++) {
                cAttn[i * 3 * width + j] = (float) wq[i][j];
                cAttn[i * 3 * width + width + j] = (float) wk[i][j];
                cAttn[i * 3 * width + 2 * width + j] = (float) wv[i][j];
            }
        }
        float[] proj = params.get("attn.c_proj.weight").value().data;
        for (int i = 0; i < width; i++) {
            proj[i * width + i] = 1f;
        }
        return attn;
    }

    private static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    /** The [in, out] storage of a PyTorch-layout [out, in] matrix: its transpose. */
    private static double[][] fromTorchLayout(double[][] w) {
        double[][] t = new double[w[0].length][w.length];
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w[0].length; j++) {
                t[j][i] = w[i][j];
            }
        }
        return t;
    }

    private static void assertRows(double[][] expected, Tensor actual) {
        int cols = expected[0].length;
        for (int r = 0; r < expected.length; r++) {
            float[] row = new float[cols];
            float[] want = new float[cols];
            for (int c = 0; c < cols; c++) {
                row[c] = actual.data[r * cols + c];
                want[c] = (float) expected[r][c];
            }
            assertArrayEquals(want, row, TOL, "row " + r);
        }
    }

    private static Tensor input(double[][] rows) {
        return Tensor.matrix(rows).reshape(1, rows.length, rows[0].length);
    }

    @Test
    void causalSelfAttentionWithIdentityProjectionsGivesTheSeedOutputs() {
        Attention attn = selfAttention(Attention.Mode.CAUSAL, 2, 1, identity(2), identity(2), identity(2));
        Tensor out = attn.forward(input(new double[][] {{1, 0}, {0, 1}, {1, 1}}), Cache.inference());
        assertRows(new double[][] {{1, 0}, {.3302384507, .6697615493}, {.7517449217, .7517449217}}, out);
    }

    @Test
    void unmaskedSelfAttentionWithIdentityProjectionsGivesTheSeedOutputs() {
        Attention attn = selfAttention(Attention.Mode.BIDIRECTIONAL, 2, 1, identity(2), identity(2), identity(2));
        Tensor out = attn.forward(input(new double[][] {{1, 0}, {0, 1}, {1, 1}}), Cache.inference());
        assertRows(new double[][] {{.8022241854, .5988879073}, {.5988879073, .8022241854}, {.7517449217, .7517449217}}, out);
    }

    @Test
    void torchLayoutWeightsAreAppliedAsXTimesWTransposed() {
        double[][] wk = {{1, 2}, {0, 1}};
        double[][] wq = {{0, 1}, {1, 0}};
        double[][] wv = {{1, 0}, {1, 1}};
        Attention attn = selfAttention(Attention.Mode.CAUSAL, 2, 1, fromTorchLayout(wq), fromTorchLayout(wk), fromTorchLayout(wv));
        Tensor out = attn.forward(input(new double[][] {{1, 0}, {0, 1}, {1, 1}}), Cache.inference());
        assertRows(new double[][] {{1, 1}, {.3302384507, 1}, {.6943047492, 1.6199851180}}, out);
    }

    @Test
    void twoHeadsSplitTheWidthAndScaleByTheHeadSize() {
        Attention attn = selfAttention(Attention.Mode.BIDIRECTIONAL, 4, 2, identity(4), identity(4), identity(4));
        Tensor out = attn.forward(input(new double[][] {{1, 0, 1, 0}, {0, 2, 0, 1}, {1, 1, 1, 1}}), Cache.inference());
        assertRows(new double[][] {
            {.8022241854, .7966637220, .8022241854, .5988879073},
            {.2320820639, 1.7225295732, .5988879073, .8022241854},
            {.5988879073, 1.2033362780, .7517449217, .7517449217}}, out);
    }

    private static final double[][] WORKED_X = {{1, 2}, {2, 1}, {1, 0}};
    private static final double[][] WORKED_WK = {{1, 1}, {0, 1}};
    private static final double[][] WORKED_WV = {{0, 1}, {1, 0}};

    @Test
    void workedExampleWithXTimesWWeightsMatchesUnmaskedCausalAndPadded() {
        Attention full = selfAttention(Attention.Mode.BIDIRECTIONAL, 2, 1, identity(2), WORKED_WK, WORKED_WV);
        assertRows(new double[][] {{1.3047706453, 1.6569387680}, {1.1413053380, 1.7679179361}, {1, 1.5034898435}},
                full.forward(input(WORKED_X), Cache.inference()));

        Attention causal = selfAttention(Attention.Mode.CAUSAL, 2, 1, identity(2), WORKED_WK, WORKED_WV);
        assertRows(new double[][] {{2, 1}, {1.1955703175, 1.8044296825}, {1, 1.5034898435}},
                causal.forward(input(WORKED_X), Cache.inference()));

        Tensor padded = full.forward(input(WORKED_X), Cache.inference().withKeyValid(new boolean[] {true, true, false}));
        assertRows(new double[][] {{1.3302384507, 1.6697615493}, {1.1955703175, 1.8044296825}, {1.3302384507, 1.6697615493}}, padded);
    }

    @Test
    void aQueryWhoseKeysAreAllPaddingGetsZerosNotNaN() {
        Attention attn = selfAttention(Attention.Mode.BIDIRECTIONAL, 2, 1, identity(2), identity(2), identity(2));
        Tensor out = attn.forward(input(new double[][] {{1, 0}, {0, 1}}), Cache.inference().withKeyValid(new boolean[] {false, false}));
        assertArrayEquals(new float[] {0, 0, 0, 0}, out.data, 0f);
    }
}
