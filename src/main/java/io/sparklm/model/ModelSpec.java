package io.sparklm.model;

import io.sparklm.nn.Pooling;
import io.sparklm.tensor.Rng;
import java.io.Serializable;

/**
 * What a model is: its family and shape. Checkpoints, the model directory and the safetensors
 * metadata record it, and {@link #build} and {@link #withParameters} are the only places a model
 * is made from it, so every family saves, loads and resumes through the same code.
 *
 * @param family  the architecture
 * @param config  the transformer's shape (for an encoder–decoder, both stacks')
 * @param head    how a pooled head reads the hidden states (classifier, contrastive); null for the others
 */
public record ModelSpec(ModelFamily family, ModelConfig config, PooledHead head) implements Serializable {
    /**
     * A head over pooled hidden states.
     *
     * @param pooling   how (B, T, C) becomes (B, C)
     * @param outputs   classes of a classifier; for a contrastive model the projection width (0: no projection)
     * @param twoTower  contrastive only: a and b get bodies of their own instead of sharing one
     * @param learnedTemperature contrastive only: log τ is a parameter (CLIP); otherwise τ is fixed
     * @param temperature the fixed τ, or the initial τ when learned
     * @param cosine    contrastive only: cosine similarity (otherwise the dot product)
     */
    public record PooledHead(Pooling.Kind pooling, int outputs, boolean twoTower, boolean learnedTemperature, double temperature,
                             boolean cosine) implements Serializable {
        public PooledHead {
            if (pooling == null || outputs < 0 || !(temperature > 0)) {
                throw new IllegalArgumentException("a pooled head needs a pooling, outputs ≥ 0 and a positive temperature");
            }
        }

        /** A classifier's head over {@code classes} classes. */
        public static PooledHead classes(Pooling.Kind pooling, int classes) {
            return new PooledHead(pooling, classes, false, false, 1, false);
        }
    }

    public ModelSpec {
        if (family == null || config == null) {
            throw new IllegalArgumentException("a model spec needs a family and a config");
        }
        if ((family == ModelFamily.CLASSIFIER || family == ModelFamily.CONTRASTIVE) != (head != null)) {
            throw new IllegalArgumentException("a " + family + " model " + (head == null ? "needs" : "has no") + " pooled head");
        }
        if (family == ModelFamily.CLASSIFIER && head.outputs() < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + head.outputs());
        }
    }

    /** A model of a family without a pooled head. */
    public ModelSpec(ModelFamily family, ModelConfig config) {
        this(family, config, null);
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
            case CLASSIFIER -> new Classifier(this, rng);
            case CONTRASTIVE -> new DualEncoder(this, rng);
            case SEQ2SEQ -> new EncoderDecoder(config, rng);
            case REWARD -> new RewardModel(config, rng);
            case POLICY -> new PolicyValue(config, rng);
        };
    }
}
