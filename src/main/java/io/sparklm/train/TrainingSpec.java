package io.sparklm.train;

import io.sparklm.model.ModelConfig;
import java.io.Serializable;

/**
 * Everything a worker needs to rebuild the model and take its local steps, shipped to
 * executors with the round's parameters.
 *
 * @param model      the model's shape
 * @param optimizer  the inner optimizer
 * @param local      batch size, learning-rate schedule (over global steps), clipping, seed
 * @param localSteps H, steps per worker per round
 * @param threads    threads per task for BLAS and kernels; 0 means the task's {@code spark.task.cpus}
 */
public record TrainingSpec(ModelConfig model, OptimizerSpec optimizer, LocalTrainer.Settings local,
                           int localSteps, int threads) implements Serializable {
    public TrainingSpec {
        if (localSteps <= 0) {
            throw new IllegalArgumentException("train.localSteps must be positive, got " + localSteps);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("train.threads must be ≥ 0, got " + threads);
        }
    }
}
