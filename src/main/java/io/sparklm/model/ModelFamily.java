package io.sparklm.model;

/** The architectures sparklm builds; {@link ModelSpec#build} makes each. */
public enum ModelFamily {
    /** GPT-2: causal body, head tied to the token embedding ({@link Gpt}). */
    DECODER,
    /** BERT: bidirectional body, masked-LM head ({@link Bert}). */
    ENCODER,
    /** A text classifier: bidirectional body, pooling, linear layer over the classes ({@link Classifier}). */
    CLASSIFIER,
    /** Contrastive embeddings: one shared or two bidirectional bodies, pooling, optional projection ({@link DualEncoder}). */
    CONTRASTIVE,
    /**
     * The original Transformer's encoder–decoder: bidirectional encoder, causal decoder with
     * cross-attention, head tied to the decoder's token embedding ({@link EncoderDecoder}).
     */
    SEQ2SEQ,
    /** A reward model: GPT's causal body read at the last non-pad token by a scalar head ({@link RewardModel}). */
    REWARD,
    /**
     * A policy for PPO: GPT's causal body and tied head under GPT-2's names, so a fine-tuned GPT
     * starts it, plus a value head at every position ({@link PolicyValue}).
     */
    POLICY
}
