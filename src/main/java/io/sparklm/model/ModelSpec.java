package io.sparklm.model;

import io.sparklm.tensor.Rng;
import java.io.Serializable;

/**
 * What a model is: its family and shape. Checkpoints, the model directory and the safetensors
 * metadata record it, and {@link #build} and {@link #withParameters} are the only places a model
 * is made from it, so every family saves, loads and resumes through the same code.
 *
 * @param family the architecture
 * @param config the transformer's shape (for an encoder–decoder, both stacks')
 */
public record ModelSpec(ModelFamily family, ModelConfig config) implements Serializable {
    public ModelSpec {
        if (family == null || config == null) {
            throw new IllegalArgumentException("a model spec needs a family and a config");
        }
    }

    /** A decoder-only GPT of this shape. */
    public static ModelSpec decoder(ModelConfig config) {
        return new ModelSpec(ModelFamily.DECODER, config);
    }

    /** A model with the family's random initialisation drawn from {@code seed}. */
    public Model build(long seed) {
        return create(new Rng(seed));
    }

    /** A model holding {@code parameters} (flat, in registration order), not initialised. */
    public Model withParameters(float[] parameters) {
        Model model = blank();
        model.parameters().load(parameters);
        return model;
    }

    /** A model of this spec with zero weights and unit LayerNorm gains, to load saved parameters into. */
    public Model blank() {
        return create(null);
    }

    /** The family's model, initialised from {@code rng} unless it is null. */
    private Model create(Rng rng) {
        return switch (family) {
            case DECODER -> new Gpt(config, rng);
            case ENCODER -> new Bert(config, rng);
            case SEQ2SEQ -> new EncoderDecoder(config, rng);
        };
    }
}
