package io.sparklm.loss;

import io.sparklm.tensor.Parallel;
import io.sparklm.tensor.Tensor;
import java.util.Arrays;

/**
 * Cross-entropy from logits, with ignored positions, label smoothing and class weights.
 *
 * <p>For one row of logits z (K classes) and target t, with soft target y:
 * <pre>
 *   L = −Σⱼ yⱼ log softmax(z)ⱼ          ∂L/∂zⱼ = softmax(z)ⱼ − yⱼ
 * </pre>
 * (Goodfellow, Bengio and Courville, <i>Deep Learning</i> §6.2.2.3; seeds-digest §3). Without
 * smoothing y = onehot(t) and L = −log softmax(z)_t. With smoothing ε (seeds-digest §4):
 * <ul>
 *   <li>{@link Smoothing#UNIFORM_OTHERS} (tensor2tensor): y_t = 1 − ε, yⱼ = ε/(K − 1) for j ≠ t;</li>
 *   <li>{@link Smoothing#UNIFORM_ALL} (Szegedy et al. 2016, PyTorch {@code label_smoothing}):
 *       y = (1 − ε)·onehot(t) + ε/K.</li>
 * </ul>
 * Both are y = a·onehot(t) + b with b = ε/(K−1) or ε/K and a = 1 − K·b (so Σy = 1), which gives
 * the loss without a second pass over the row:
 * L = a·(lse − z_t) + b·(K·lse − Σⱼ zⱼ), where lse = log Σⱼ exp zⱼ is computed after subtracting the
 * row maximum, so logits like [1000, 0] stay finite.
 *
 * <p>The batch loss is the weighted mean over counted rows: Σᵢ wᵢ Lᵢ / Σᵢ wᵢ, where rows whose target
 * is {@link #ignoreIndex()} have wᵢ = 0 (and exactly zero gradient), and otherwise wᵢ = 1, or the
 * class weight w_{tᵢ} when class weights are set (weighted CE normalised by Σw as in PyTorch's
 * {@code CrossEntropyLoss(weight=…)}; seeds-digest §15). With both class weights and smoothing, the
 * whole smoothed row is weighted by its target's class weight (PyTorch instead weights each smoothed
 * term by its own class's weight).
 *
 * <p>Instances are immutable; configure with the {@code with…} methods.
 */
public final class CrossEntropy implements java.io.Serializable {
    /** The target value that marks a position as not counted (PyTorch's default). */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    /** The two definitions of label smoothing in use (seeds-digest §4). */
    public enum Smoothing {
        /** y_target = 1 − ε, every other class ε/(K − 1) (tensor2tensor, the source text). */
        UNIFORM_OTHERS,
        /** y = (1 − ε)·onehot + ε/K (Szegedy et al. 2016; PyTorch {@code label_smoothing}). */
        UNIFORM_ALL
    }

    private final int ignoreIndex;
    private final double epsilon;
    private final Smoothing smoothing;
    private final float[] classWeights;

    /** Plain cross-entropy: no smoothing, no class weights, ignore index −100. */
    public CrossEntropy() {
        this(DEFAULT_IGNORE_INDEX, 0, Smoothing.UNIFORM_ALL, null);
    }

    private CrossEntropy(int ignoreIndex, double epsilon, Smoothing smoothing, float[] classWeights) {
        this.ignoreIndex = ignoreIndex;
        this.epsilon = epsilon;
        this.smoothing = smoothing;
        this.classWeights = classWeights;
    }

    /** The same loss with positions whose target is {@code index} ignored; {@code index} must be negative. */
    public CrossEntropy withIgnoreIndex(int index) {
        if (index >= 0) {
            throw new IllegalArgumentException("ignoreIndex must be negative so it cannot name a class, got " + index);
        }
        return new CrossEntropy(index, epsilon, smoothing, classWeights);
    }

    /** The same loss with label smoothing ε ∈ [0, 1) of the given kind; ε = 0 is plain cross-entropy. */
    public CrossEntropy withLabelSmoothing(double epsilon, Smoothing kind) {
        if (!(epsilon >= 0 && epsilon < 1)) {
            throw new IllegalArgumentException("label smoothing epsilon must be in [0, 1), got " + epsilon);
        }
        if (kind == null) {
            throw new IllegalArgumentException("smoothing kind must be UNIFORM_OTHERS or UNIFORM_ALL, got null");
        }
        return new CrossEntropy(ignoreIndex, epsilon, kind, classWeights);
    }

    /** The same loss with one non-negative weight per class (length K); the array is copied. */
    public CrossEntropy withClassWeights(float[] weights) {
        for (int c = 0; c < weights.length; c++) {
            if (!(weights[c] >= 0 && Float.isFinite(weights[c]))) {
                throw new IllegalArgumentException("classWeights[" + c + "] must be finite and non-negative, got " + weights[c]);
            }
        }
        return new CrossEntropy(ignoreIndex, epsilon, smoothing, weights.clone());
    }

    /**
     * Balanced class weights w_c = N / (K·N_c) from class counts (King and Zeng 2001; scikit-learn's
     * {@code class_weight="balanced"}): counts {90, 10} give {0.5556, 5.0}.
     */
    public static float[] balancedClassWeights(long[] counts) {
        long total = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] <= 0) {
                throw new IllegalArgumentException("counts[" + c + "] must be positive to have a balanced weight, got " + counts[c]);
            }
            total += counts[c];
        }
        float[] weights = new float[counts.length];
        for (int c = 0; c < counts.length; c++) {
            weights[c] = (float) ((double) total / ((double) counts.length * counts[c]));
        }
        return weights;
    }

    public int ignoreIndex() {
        return ignoreIndex;
    }

    /** Loss and a newly allocated gradient; see {@link #compute(Tensor, int[], Tensor)}. */
    public LossResult compute(Tensor logits, int[] targets) {
        return compute(logits, targets, Tensor.zeros(logits.shape()));
    }

    /**
     * Loss of {@code logits} against {@code targets}, writing ∂(mean loss)/∂logits into {@code dLogits}.
     *
     * @param logits  (N, K), or (B, T, K) read as (B·T, K) rows
     * @param targets N class indices in [0, K), or {@link #ignoreIndex()}
     * @param dLogits same shape as {@code logits}, overwritten; may be {@code logits} itself
     * @return Σ wᵢ Lᵢ, Σ wᵢ and {@code dLogits}
     */
    public LossResult compute(Tensor logits, int[] targets, Tensor dLogits) {
        logits.requireSameShape(dLogits);
        int rows = logits.rows();
        int classes = logits.dim(-1);
        if (targets.length != rows) {
            throw new IllegalArgumentException("targets has " + targets.length + " entries, logits " + logits + " has " + rows + " rows");
        }
        double totalWeight = totalWeight(targets, classes);
        double sum = rowsLoss(logits.data, targets, 0, rows, classes, totalWeight, dLogits.data);
        return new LossResult(sum, totalWeight, dLogits);
    }

    /**
     * Σ wᵢ Lᵢ over rows i ∈ [first, first + rows) of a batch whose total weight is {@code totalWeight},
     * the row-range form of {@link #compute(Tensor, int[], Tensor)} that chunked heads call.
     *
     * @param z           logits (rows, K): row r holds those of batch row first + r
     * @param targets     the whole batch's targets, already validated by {@link #totalWeight}
     * @param totalWeight W, the normaliser: {@code g} receives ∂(Σ wᵢ Lᵢ / W)/∂logits
     * @param g           gradient (rows, K), overwritten; may be {@code z} itself; null for the loss only
     */
    public double rowsLoss(float[] z, int[] targets, int first, int rows, int classes, double totalWeight, float[] g) {
        requireClassWeights(classes);
        double offTarget = smoothedOffTarget(classes);
        return Parallel.sum(rows, Math.max(1, (1 << 15) / classes),
                (from, to) -> rowRangeLoss(z, targets, first, from, to, classes, totalWeight, g, offTarget));
    }

    /** {@link #rowsLoss} of the chunk rows [from, to), row r of z being batch row first + r. */
    private double rowRangeLoss(float[] z, int[] targets, int first, int fromRow, int toRow, int classes, double totalWeight,
                                float[] g, double offTarget) {
        double onTarget = 1 - classes * offTarget;
        double sum = 0;
        for (int i = fromRow; i < toRow; i++) {
            int from = i * classes;
            int to = from + classes;
            int t = targets[first + i];
            double w = t == ignoreIndex ? 0 : classWeights == null ? 1 : classWeights[t];
            if (w == 0) {
                if (g != null) {
                    Arrays.fill(g, from, to, 0f);
                }
                continue;
            }
            float max = Float.NEGATIVE_INFINITY;
            double sumZ = 0;
            for (int j = from; j < to; j++) {
                float v = z[j];
                max = Math.max(max, v);
                sumZ += v;
            }
            double zt = z[from + t];
            double expSum = 0;
            for (int j = from; j < to; j++) {
                double e = Math.exp(z[j] - max);
                if (g != null) {
                    g[j] = (float) e;
                }
                expSum += e;
            }
            double lse = max + Math.log(expSum);
            double rowLoss = onTarget * (lse - zt);
            if (offTarget != 0) {
                rowLoss += offTarget * (classes * lse - sumZ);
            }
            sum += w * rowLoss;
            if (g == null) {
                continue;
            }
            float probScale = (float) (w / (totalWeight * expSum));
            float offShift = (float) (w * offTarget / totalWeight);
            for (int j = from; j < to; j++) {
                g[j] = g[j] * probScale - offShift;
            }
            g[from + t] -= (float) (w * onTarget / totalWeight);
        }
        return sum;
    }

    private void requireClassWeights(int classes) {
        if (classWeights != null && classWeights.length != classes) {
            throw new IllegalArgumentException("classWeights has " + classWeights.length + " entries, logits have " + classes + " classes");
        }
    }

    /** b in y = a·onehot + b: the smoothed probability every class receives besides the target's share. */
    private double smoothedOffTarget(int classes) {
        if (epsilon == 0) {
            return 0;
        }
        if (smoothing == Smoothing.UNIFORM_ALL) {
            return epsilon / classes;
        }
        if (classes < 2) {
            throw new IllegalArgumentException("UNIFORM_OTHERS smoothing needs at least 2 classes, logits have " + classes);
        }
        return epsilon / (classes - 1);
    }

    /** Σ wᵢ over the targets (the number of counted ones without class weights), validating each. */
    public double totalWeight(int[] targets, int classes) {
        requireClassWeights(classes);
        double total = 0;
        for (int i = 0; i < targets.length; i++) {
            int t = targets[i];
            if (t == ignoreIndex) {
                continue;
            }
            if (t < 0 || t >= classes) {
                throw new IllegalArgumentException("targets[" + i + "] = " + t + " is outside [0, " + classes
                        + ") and is not the ignore index " + ignoreIndex);
            }
            total += classWeights == null ? 1 : classWeights[t];
        }
        return total;
    }
}
