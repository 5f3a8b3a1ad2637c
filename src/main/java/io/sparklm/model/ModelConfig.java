package io.sparklm.model;

import io.sparklm.nn.Activation;
import io.sparklm.nn.Block;
import io.sparklm.nn.PositionalEncoding;

/**
 * The shape of a transformer, immutable. Defaults follow GPT-2: GELU, pre-LN, learned positions,
 * d_ff = 4·width, no dropout.
 *
 * @param vocabSize number of token ids
 * @param blockSize longest sequence (positions)
 * @param layers    transformer blocks
 * @param heads     attention heads; must divide {@code width}
 * @param width     model width C
 * @param hidden    feed-forward width d_ff
 * @param dropout   dropout probability on embeddings and residual branches, in [0, 1)
 */
public record ModelConfig(int vocabSize, int blockSize, int layers, int heads, int width, int hidden,
                          double dropout, Activation activation, Block.Norm norm,
                          PositionalEncoding.Kind positions) implements java.io.Serializable {
    public ModelConfig {
        requirePositive("vocabSize", vocabSize);
        requirePositive("blockSize", blockSize);
        requirePositive("layers", layers);
        requirePositive("heads", heads);
        requirePositive("width", width);
        requirePositive("hidden", hidden);
        if (width % heads != 0) {
            throw new IllegalArgumentException("model.heads " + heads + " does not divide model.width " + width
                    + ": choose a width that is a multiple of the head count");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("model.dropout must be in [0, 1), got " + dropout);
        }
        if (activation == null || norm == null || positions == null) {
            throw new IllegalArgumentException("model.activation, model.norm and model.positions must be set");
        }
    }

    /** A GPT-2-shaped config: GELU, pre-LN, learned positions, d_ff = 4·width, no dropout. */
    public static ModelConfig gpt(int vocabSize, int blockSize, int layers, int heads, int width) {
        return new ModelConfig(vocabSize, blockSize, layers, heads, width, 4 * width, 0.0,
                Activation.GELU, Block.Norm.PRE, PositionalEncoding.Kind.LEARNED);
    }

    public ModelConfig withDropout(double p) {
        return new ModelConfig(vocabSize, blockSize, layers, heads, width, hidden, p, activation, norm, positions);
    }

    public ModelConfig withVocabSize(int v) {
        return new ModelConfig(v, blockSize, layers, heads, width, hidden, dropout, activation, norm, positions);
    }

    public int headSize() {
        return width / heads;
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("model." + key + " must be positive, got " + value);
        }
    }
}
