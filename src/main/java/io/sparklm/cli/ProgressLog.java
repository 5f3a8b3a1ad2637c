package io.sparklm.cli;

import io.sparklm.train.LocalTrainer;
import java.util.function.DoubleSupplier;

/** Logs every N steps: step i/N, loss, validation loss, tokens/s, learning rate and time left. */
final class ProgressLog {
    private final int total;
    private final int every;
    private final long start = System.nanoTime();
    private double tokens;

    ProgressLog(int total, int every) {
        this.total = total;
        this.every = Math.max(1, every);
    }

    void step(LocalTrainer.StepResult r, DoubleSupplier validationLoss) {
        tokens += r.tokens();
        int done = (int) r.step() + 1;
        if (done % every != 0 && done != total) {
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double eta = seconds / done * (total - done);
        System.out.printf("step %d/%d  loss %.4f  val %.4f  %.0f tok/s  lr %.2e  eta %.0fs%n",
                done, total, r.loss(), validationLoss.getAsDouble(), tokens / seconds, r.lr(), eta);
    }
}
