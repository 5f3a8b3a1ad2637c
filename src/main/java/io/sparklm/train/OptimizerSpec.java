package io.sparklm.train;

import io.sparklm.optim.AdamW;
import io.sparklm.optim.Optimizer;
import io.sparklm.optim.Sgd;
import java.io.Serializable;

/**
 * Which inner optimizer workers run, with its hyper-parameters; travels to executors and
 * builds a fresh optimizer there.
 *
 * @param kind {@code adamw} or {@code sgd}
 */
public record OptimizerSpec(String kind, double beta1, double beta2, double epsilon, double weightDecay,
                            double momentum) implements Serializable {
    public OptimizerSpec {
        if (!kind.equals("adamw") && !kind.equals("sgd")) {
            throw new IllegalArgumentException("optimizer.kind must be 'adamw' or 'sgd', got '" + kind + "'");
        }
        create(kind, beta1, beta2, epsilon, weightDecay, momentum);
    }

    public static OptimizerSpec adamW(double beta1, double beta2, double weightDecay) {
        return new OptimizerSpec("adamw", beta1, beta2, 1e-8, weightDecay, 0);
    }

    public static OptimizerSpec sgd(double momentum, double weightDecay) {
        return new OptimizerSpec("sgd", 0.9, 0.999, 1e-8, weightDecay, momentum);
    }

    public Optimizer build() {
        return create(kind, beta1, beta2, epsilon, weightDecay, momentum);
    }

    private static Optimizer create(String kind, double beta1, double beta2, double epsilon, double weightDecay, double momentum) {
        return kind.equals("adamw") ? new AdamW(beta1, beta2, epsilon, weightDecay) : new Sgd(momentum, weightDecay);
    }
}
