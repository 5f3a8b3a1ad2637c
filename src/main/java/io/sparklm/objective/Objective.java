package io.sparklm.objective;

import io.sparklm.loss.LossResult;
import io.sparklm.model.Model;
import io.sparklm.model.ModelFamily;
import io.sparklm.nn.Cache;
import java.io.Serializable;
import java.util.List;

/**
 * What a model is trained to do: how a batch is drawn from a worker's {@link Examples}, its loss,
 * the gradient of that loss in the model, and the weight the average uses (tokens, sequences or
 * pairs). Trainers ({@code LocalTrainer}, {@code PartitionTrainer}, {@code SparkTrainer}) see only
 * this interface; an objective is shipped to executors with the training spec.
 *
 * <p>Losses are kept as (Σ wᵢLᵢ, Σ wᵢ) so that batches and workers add up to the global mean.
 */
public interface Objective extends Serializable {
    /** The name {@code pretrain objective=NAME} selects. */
    String name();

    /** The model family this objective trains. */
    ModelFamily family();

    /** The batch of {@code batchSize} items that {@code draw} selects from a worker's examples. */
    Batch sample(Examples examples, int batchSize, Draw draw);

    /** The first {@code maxItems} items of {@code examples} in order, {@code batchSize} at a time, for evaluation. */
    List<Batch> evaluationBatches(Examples examples, int batchSize, int maxItems);

    /** W = Σ wᵢ of the whole batch, validating its items. */
    double weight(Model model, Batch batch);

    /**
     * Forward and backward of (part of) a batch: adds ∇(Σᵢ wᵢ Lᵢ / normaliser) into the model's
     * gradients and returns Σᵢ wᵢ Lᵢ. The trainer passes the whole batch's {@link #weight} as the
     * normaliser, so parts sum to the gradient of the batch mean.
     */
    double lossAndGradient(Model model, Batch batch, double normaliser, Cache cache);

    /** Σ wᵢ Lᵢ and Σ wᵢ of a batch, without gradients and without dropout. */
    LossResult loss(Model model, Batch batch);

    /**
     * Figures beyond the loss over the first {@code maxItems} items of a validation partition
     * (classification and retrieval metrics), as counts that add across partitions; null when the
     * objective has none.
     */
    default Scores score(Model model, Examples examples, int batchSize, int maxItems) {
        return null;
    }

    /**
     * Whether the loss is a sum over items, so that micro-batches of a batch sum to it exactly
     * (false for contrastive losses, whose negatives are the batch's other items).
     */
    default boolean independentItems() {
        return true;
    }
}
