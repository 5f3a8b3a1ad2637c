package io.sparklm.rlhf;

import io.sparklm.data.tokenizer.CharTokenizer;
import io.sparklm.model.Model;
import io.sparklm.model.ModelConfig;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.ModelSpec;
import io.sparklm.train.ModelDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A saved model small enough to score rows in tests: blockSize 16, 1 layer, 2 heads, width 8, one
 * token per character of {@code text}, every parameter drawn uniformly from [−1, 1] so that rewards
 * are of order 1 and differ between sequences.
 */
public final class TinyRewardModel {
    public static final int BLOCK_SIZE = 16;

    private TinyRewardModel() {
    }

    /** Saves a {@code family} model over the characters of {@code text} to {@code dir} and returns {@code dir}. */
    public static Path save(Path dir, ModelFamily family, String text) throws IOException {
        CharTokenizer tokenizer = CharTokenizer.fit(text);
        Model model = new ModelSpec(family, ModelConfig.gpt(tokenizer.vocabSize(), BLOCK_SIZE, 1, 2, 8)).build(7);
        float[] values = model.parameters().flatten();
        Random random = new Random(7);
        for (int i = 0; i < values.length; i++) {
            values[i] = 2 * random.nextFloat() - 1;
        }
        model.parameters().load(values);
        ModelDirectory.save(dir, model, tokenizer);
        return dir;
    }
}
