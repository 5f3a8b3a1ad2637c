package io.sparklm.train;

import io.sparklm.loss.LossResult;
import io.sparklm.model.Model;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Parallel;
import io.sparklm.tensor.Rng;
import io.sparklm.objective.Batch;
import io.sparklm.objective.Objective;
import java.util.ArrayList;
import java.util.List;

/**
 * The loss and gradient of one batch of B items computed as P = min(threads, B) micro-batches
 * at once, one per thread, when the model's products are small and the objective's items are
 * independent ({@link #parts}): micro-batch r holds items [B·r/P, B·(r+1)/P) and runs on replica r,
 * which reads the model's parameter values and owns its gradients and cache (replica 0 is the
 * model itself), with kernels and BLAS single-threaded inside. With W = Σᵢ wᵢ over the whole
 * batch, replica r computes ∇_r = ∇(Σ_{i∈r} wᵢ Lᵢ / W), so
 * <pre>
 *   Σ_r ∇_r = ∇(Σᵢ wᵢ Lᵢ / W),   the gradient of the batch mean,
 * </pre>
 * and the replicas' gradients are added into the model's in replica order: results depend on
 * P only, and P = 1 is the plain single pass. Replica r ≥ 1 draws dropout from a stream seeded
 * by the pass's RNG, one draw per replica in order, before any replica runs.
 *
 * <p>The replicas run in one {@link Parallel#forRange}, which keeps OpenBLAS single-threaded
 * meanwhile.
 */
final class MicroBatchGradient {
    private final Model model;
    private final Objective objective;
    private final List<Model> replicas = new ArrayList<>();
    private final List<Cache> caches = new ArrayList<>();

    MicroBatchGradient(Model model, Objective objective) {
        this.model = model;
        this.objective = objective;
        replicas.add(model);
        caches.add(null);
    }

    /** Zeroes the model's gradients and fills them with those of the batch's mean loss; grad of the result is null. */
    LossResult compute(Batch batch, Cache cache) {
        double weight = objective.weight(model, batch);
        int parts = parts(batch);
        if (parts == 1) {
            model.parameters().zeroGrad();
            return new LossResult(objective.lossAndGradient(model, batch, weight, cache), weight, null);
        }
        Cache[] passCaches = new Cache[parts];
        passCaches[0] = cache;
        for (int r = 1; r < parts; r++) {
            if (r == replicas.size()) {
                replicas.add(model.replica());
                caches.add(Cache.inference());
            }
            passCaches[r] = caches.get(r).restart(cache.training(), cache.rng() == null ? null : new Rng(cache.rng().nextLong()));
        }
        double[] sums = new double[parts];
        Parallel.forRange(parts, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                sums[r] = microBatch(batch, r, parts, weight, passCaches[r]);
            }
        });
        addReplicaGradients(parts);
        double sum = 0;
        for (double s : sums) {
            sum += s;
        }
        return new LossResult(sum, weight, null);
    }

    /**
     * Products of at most this many multiply-adds (rows·C²) are too small for OpenBLAS to split
     * well over threads: below it the batch is split into replicas, above it every product and
     * kernel is split instead, which needs no gradient replica (4 bytes a parameter per thread).
     */
    static final long REPLICATE_BELOW = 1L << 26;

    /**
     * P = min(threads, B) for small products of independent items, 1 (threads inside each
     * operation) for large products or a loss that couples the batch's items.
     */
    int parts(Batch batch) {
        long width = model.spec().config().width();
        if (!objective.independentItems() || batch.positions() * width * width >= REPLICATE_BELOW) {
            return 1;
        }
        return Math.min(Parallel.availableThreads(), batch.size());
    }

    /**
     * Forward and backward of micro-batch r on replica r, on the thread that runs it; returns its
     * loss sum. Every replica, the model (replica 0) too, zeroes its gradients there first, so the
     * zeroing is split as the replicas are, needs no parallel pass of its own before them, and the
     * thread that writes the gradients has them in its cache.
     */
    private double microBatch(Batch batch, int r, int parts, double weight, Cache cache) {
        replicas.get(r).parameters().zeroGrad();
        int first = (int) ((long) batch.size() * r / parts);
        int end = (int) ((long) batch.size() * (r + 1) / parts);
        return objective.lossAndGradient(replicas.get(r), batch.slice(first, end), weight, cache);
    }

    /**
     * model.grad += replica r's grad for r = 1 … P−1, in that order for every element, as one
     * parallel loop over all parameters ({@link io.sparklm.nn.Parameters#forEachRange}) rather
     * than one per parameter tensor.
     */
    private void addReplicaGradients(int parts) {
        model.parameters().forEachRange((p, from, to, index) -> {
            float[] g = p.grad().data;
            for (int r = 1; r < parts; r++) {
                float[] o = replicas.get(r).parameters().all().get(index).grad().data;
                for (int j = from; j < to; j++) {
                    g[j] += o[j];
                }
            }
        });
    }
}
