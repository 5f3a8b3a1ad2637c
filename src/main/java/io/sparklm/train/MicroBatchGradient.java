package io.sparklm.train;

import io.sparklm.loss.CausalLm;
import io.sparklm.loss.LossResult;
import io.sparklm.model.Gpt;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Parameter;
import io.sparklm.tensor.Parallel;
import io.sparklm.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The loss and gradient of one batch of B blocks computed as P = min(threads, B) micro-batches
 * at once, one per thread, when the model's products are small ({@link #parts}): micro-batch r
 * holds blocks [B·r/P, B·(r+1)/P) and runs on replica r,
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
    private final Gpt model;
    private final List<Gpt> replicas = new ArrayList<>();
    private final List<Cache> caches = new ArrayList<>();

    MicroBatchGradient(Gpt model) {
        this.model = model;
        replicas.add(model);
        caches.add(null);
    }

    /** Zeroes the model's gradients and fills them with those of the batch's mean loss; grad of the result is null. */
    LossResult compute(CausalLm.Batch batch, Cache cache) {
        model.parameters().zeroGrad();
        double weight = model.targetWeight(batch.targets());
        int parts = parts(batch);
        if (parts == 1) {
            LossResult loss = model.forwardLoss(batch.inputs(), batch.targets(), batch.batchSize(), batch.blockSize(), weight, cache);
            model.backward(cache);
            return loss;
        }
        Cache[] passCaches = new Cache[parts];
        passCaches[0] = cache;
        for (int r = 1; r < parts; r++) {
            if (r == replicas.size()) {
                replicas.add(model.replica());
                caches.add(Cache.inference());
            }
            replicas.get(r).parameters().zeroGrad();
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

    /** P = min(threads, B) for small products, 1 (threads inside each operation) for large ones. */
    int parts(CausalLm.Batch batch) {
        long rows = (long) batch.batchSize() * batch.blockSize();
        long width = model.config().width();
        if (rows * width * width >= REPLICATE_BELOW) {
            return 1;
        }
        return Math.min(Parallel.availableThreads(), batch.batchSize());
    }

    /** Forward and backward of micro-batch r on replica r; returns its loss sum. */
    private double microBatch(CausalLm.Batch batch, int r, int parts, double weight, Cache cache) {
        int t = batch.blockSize();
        int first = (int) ((long) batch.batchSize() * r / parts);
        int end = (int) ((long) batch.batchSize() * (r + 1) / parts);
        int[] ids = Arrays.copyOfRange(batch.inputs(), first * t, end * t);
        int[] targets = Arrays.copyOfRange(batch.targets(), first * t, end * t);
        Gpt replica = replicas.get(r);
        double sum = replica.forwardLoss(ids, targets, end - first, t, weight, cache).sum();
        replica.backward(cache);
        return sum;
    }

    /** model.grad += replica r's grad for r = 1 … P−1, in that order for every element. */
    private void addReplicaGradients(int parts) {
        List<Parameter> params = model.parameters().all();
        for (int i = 0; i < params.size(); i++) {
            float[] g = params.get(i).grad().data;
            float[][] others = new float[parts - 1][];
            for (int r = 1; r < parts; r++) {
                others[r - 1] = replicas.get(r).parameters().all().get(i).grad().data;
            }
            Parallel.forRange(g.length, 1 << 15, (from, to) -> {
                for (float[] o : others) {
                    for (int j = from; j < to; j++) {
                        g[j] += o[j];
                    }
                }
            });
        }
    }
}
