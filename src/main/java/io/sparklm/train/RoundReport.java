package io.sparklm.train;

/**
 * What one round did, as logged and written to {@code metrics.jsonl}.
 *
 * @param trainLoss        Σ loss / Σ tokens over the round's local steps on all workers
 * @param valLoss          validation loss after the round, NaN when not measured
 * @param tokensPerSecond  training tokens of the round over its wall time
 * @param lr               learning rate of the round's last step
 * @param computeSeconds   the slowest worker's time inside local steps
 * @param etaSeconds       estimated time to the last round
 * @param bytesInPerWorker  bytes each worker received: θ, 4 a parameter
 * @param bytesOutPerWorker bytes each worker wrote to the exchange's shuffle (measured)
 */
public record RoundReport(int round, int rounds, long step, double tokens, double trainLoss, double valLoss,
                          double tokensPerSecond, double lr, double seconds, double computeSeconds, double etaSeconds,
                          long bytesInPerWorker, long bytesOutPerWorker) {
    /** Share of the round's wall time spent outside local steps (broadcast, aggregation, validation, I/O). */
    public double overhead() {
        return seconds <= 0 ? 0 : Math.max(0, 1 - computeSeconds / seconds);
    }

    /** One log line: round i/N, losses, tokens/s, lr, time, bytes per worker, ETA. */
    public String logLine() {
        return String.format("round %d/%d  step %d  train loss %.4f%s  %.0f tok/s  lr %.2e  %.1fs (%.1f%% outside steps)  "
                        + "%.1f MB in / %.1f MB out per worker  eta %.0fs",
                round, rounds, step, trainLoss, Double.isNaN(valLoss) ? "" : String.format("  val loss %.4f", valLoss),
                tokensPerSecond, lr, seconds, 100 * overhead(), bytesInPerWorker / 1e6, bytesOutPerWorker / 1e6, etaSeconds);
    }
}
