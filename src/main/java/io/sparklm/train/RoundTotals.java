package io.sparklm.train;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The workers' reports of one round, totalled: tokens Σ nₖ, the global loss Σ lossₖ / Σ nₖ (not the
 * mean of the workers' means), the slowest worker's compute time, and the common optimizer step.
 */
record RoundTotals(List<WorkerReport> reports) {
    RoundTotals {
        if (reports == null || reports.isEmpty()) {
            throw new IllegalStateException("the round's exchange carried no worker reports");
        }
        long step = reports.get(0).step();
        for (WorkerReport w : reports) {
            if (w.step() != step) {
                throw new IllegalStateException("workers ended at different optimizer steps: " + step + " and " + w.step());
            }
        }
        reports = List.copyOf(reports);
    }

    double tokens() {
        return reports.stream().mapToDouble(WorkerReport::tokens).sum();
    }

    double meanLoss() {
        return reports.stream().mapToDouble(WorkerReport::lossSum).sum() / tokens();
    }

    double maxComputeSeconds() {
        return reports.stream().mapToDouble(WorkerReport::computeSeconds).max().orElse(0);
    }

    long step() {
        return reports.get(0).step();
    }

    /** Partition → SHA-256 of the state file it wrote. */
    Map<Integer, String> stateSha256() {
        Map<Integer, String> shas = new TreeMap<>();
        reports.forEach(w -> shas.put(w.partition(), w.stateSha256()));
        return shas;
    }
}
