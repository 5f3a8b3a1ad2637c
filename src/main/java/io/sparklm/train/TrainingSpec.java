package io.sparklm.train;

import io.sparklm.model.ModelConfig;
import io.sparklm.model.ModelSpec;
import io.sparklm.objective.CausalLmObjective;
import io.sparklm.objective.Objective;
import java.io.Serializable;

/**
 * Everything a worker needs to rebuild the model and take its local steps, shipped to
 * executors with the round's parameters.
 *
 * @param model      the model's family and shape
 * @param objective  what the model is trained to do; its family is the model's
 * @param optimizer  the inner optimizer
 * @param local      batch size, learning-rate schedule (over global steps), clipping, seed
 * @param localSteps H, steps per worker per round
 * @param threads    threads per task for BLAS and kernels; 0 means the task's {@code spark.task.cpus}
 */
public record TrainingSpec(ModelSpec model, Objective objective, OptimizerSpec optimizer, LocalTrainer.Settings local,
                           int localSteps, int threads) implements Serializable {
    public TrainingSpec {
        if (model.family() != objective.family()) {
            throw new IllegalArgumentException("objective " + objective.name() + " trains a " + objective.family().name().toLowerCase(java.util.Locale.ROOT)
                    + " model, not a " + model.family().name().toLowerCase(java.util.Locale.ROOT) + " one");
        }
        if (localSteps <= 0) {
            throw new IllegalArgumentException("train.localSteps must be positive, got " + localSteps);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("train.threads must be ≥ 0, got " + threads);
        }
    }

    /** Causal-LM training of a GPT of shape {@code model}. */
    public static TrainingSpec causalLm(ModelConfig model, OptimizerSpec optimizer, LocalTrainer.Settings local, int localSteps,
                                        int threads) {
        return new TrainingSpec(ModelSpec.decoder(model), new CausalLmObjective(model.blockSize()), optimizer, local, localSteps, threads);
    }
}
