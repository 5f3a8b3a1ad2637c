package io.sparklm.nn;

import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * What a forward pass keeps for its backward pass: named slots per layer, nested by sub-layer,
 * plus the pass's shared {@link Context} (training flag, dropout RNG, padding masks).
 *
 * <p>It also hands out working buffers by key ({@link #floats}, {@link #tensor}): allocated on
 * first use and the same array on every later pass through this cache, so a trainer that keeps
 * its cache between steps allocates activations and gradients once.
 *
 * <p>Gradient buffers ({@link #gradient}) live only while their layer's backward runs, so layers
 * of the same shape can share them: a child made with {@link #child(String, int)} takes its own
 * and its descendants' gradient buffers from a pool of the pass keyed by (group, path below that
 * child, key). Blocks alternate between two groups: block i reads block i + 1's ∂L/∂x while it
 * writes its own, and nothing older is read again, so a model of L blocks keeps two blocks'
 * gradient buffers instead of L.
 */
public final class Cache {
    /** Settings of one forward pass, shared by every layer of it. */
    public static final class Context {
        boolean training;
        Rng rng;
        boolean[] keyValid;
        boolean[] memoryValid;
        final Map<String, Object> sharedGradients = new HashMap<>();

        Context(boolean training, Rng rng) {
            this.training = training;
            this.rng = rng;
        }
    }

    private final Context context;
    /** The gradient pool's key prefix (group and path below the group's root), or null: buffers of this cache. */
    private final String gradientPath;
    private final Map<String, Object> slots = new HashMap<>();
    private final Map<String, Cache> children = new HashMap<>();
    private final Map<String, Object> buffers = new HashMap<>();

    private Cache(Context context, String gradientPath) {
        this.context = context;
        this.gradientPath = gradientPath;
    }

    private Cache(Context context) {
        this(context, null);
    }

    /** A cache for inference: no dropout. */
    public static Cache inference() {
        return new Cache(new Context(false, null));
    }

    /** A cache for a training pass: dropout draws from {@code rng}. */
    public static Cache training(Rng rng) {
        return new Cache(new Context(true, rng));
    }

    /**
     * Starts a new pass through this cache and its children, keeping their buffers: the training
     * flag and dropout RNG are replaced and the padding masks cleared.
     */
    public Cache restart(boolean training, Rng rng) {
        context.training = training;
        context.rng = rng;
        context.keyValid = null;
        context.memoryValid = null;
        return this;
    }

    /**
     * Marks which key positions of self-attention are real tokens (true) and which are padding,
     * as a (B·T) mask; null means all are real.
     */
    public Cache withKeyValid(boolean[] keyValid) {
        context.keyValid = keyValid;
        return this;
    }

    /** Padding mask of the encoder output that cross-attention reads, (B·S); null means none. */
    public Cache withMemoryValid(boolean[] memoryValid) {
        context.memoryValid = memoryValid;
        return this;
    }

    public boolean training() {
        return context.training;
    }

    public Rng rng() {
        return context.rng;
    }

    public boolean[] keyValid() {
        return context.keyValid;
    }

    public boolean[] memoryValid() {
        return context.memoryValid;
    }

    /** The nested cache of a sub-layer, created on first use. */
    public Cache child(String name) {
        return children.computeIfAbsent(name, k -> new Cache(context, gradientPath == null ? null : gradientPath + "/" + k));
    }

    /**
     * The nested cache of a sub-layer whose gradient buffers, and its descendants', come from the
     * pass's pool of {@code gradientGroup}; every child in that group must have the same layout.
     */
    public Cache child(String name, int gradientGroup) {
        Cache c = children.computeIfAbsent(name, k -> new Cache(context, "group" + gradientGroup));
        if (!c.gradientPath.equals("group" + gradientGroup)) {
            throw new IllegalStateException("cache " + name + " is in gradient group " + c.gradientPath + ", not " + gradientGroup);
        }
        return c;
    }

    /**
     * A tensor for a gradient that lives only during this layer's backward, under {@code key}:
     * this cache's own (as {@link #tensor}) or, below {@link #child(String, int)}, the shared one of
     * its group. Its contents are whatever its last user left.
     */
    public Tensor gradient(String key, int... shape) {
        if (gradientPath == null) {
            return tensor(key, shape);
        }
        return tensorIn(context.sharedGradients, gradientPath + "#" + key, shape);
    }

    /** {@link #gradient}, set to zeros: for gradients that are accumulated into. */
    public Tensor gradientZeros(String key, int... shape) {
        Tensor t = gradient(key, shape);
        t.fill(0f);
        return t;
    }

    /**
     * A float array of {@code length} kept under {@code key}: zeros on first use, afterwards the
     * same array holding whatever its last user left (a new one if the length changed).
     */
    public float[] floats(String key, int length) {
        Object b = buffers.get(key);
        if (b instanceof float[] a && a.length == length) {
            return a;
        }
        float[] a = new float[length];
        buffers.put(key, a);
        return a;
    }

    /** A native buffer of at least {@code length} floats kept under {@code key}, reused as {@link #floats} is. */
    public io.sparklm.tensor.NativeFloats nativeFloats(String key, long length) {
        if (buffers.get(key) instanceof io.sparklm.tensor.NativeFloats b && b.length() >= length) {
            return b;
        }
        io.sparklm.tensor.NativeFloats b = new io.sparklm.tensor.NativeFloats(length);
        buffers.put(key, b);
        return b;
    }

    /** A tensor of {@code shape} kept under {@code key}, reused as {@link #floats} is. */
    public Tensor tensor(String key, int... shape) {
        return tensorIn(buffers, key, shape);
    }

    /** The tensor of {@code shape} under {@code key} in {@code pool}, a new one of zeros if there is none of that shape. */
    private static Tensor tensorIn(Map<String, Object> pool, String key, int[] shape) {
        if (pool.get(key) instanceof Tensor t && java.util.Arrays.equals(t.shape(), shape)) {
            return t;
        }
        Tensor t = Tensor.zeros(shape);
        pool.put(key, t);
        return t;
    }

    /** {@link #tensor}, set to zeros: for gradients that are accumulated into. */
    public Tensor zeros(String key, int... shape) {
        Tensor t = tensor(key, shape);
        t.fill(0f);
        return t;
    }

    public void put(String key, Object value) {
        slots.put(key, value);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(String key) {
        Object v = slots.get(key);
        if (v == null) {
            throw new IllegalStateException("backward before forward: nothing cached under '" + key + "'");
        }
        return (T) v;
    }
}
