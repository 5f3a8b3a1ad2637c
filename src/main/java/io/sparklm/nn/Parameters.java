package io.sparklm.nn;

import io.sparklm.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All trainable tensors of a model, in registration order, by name.
 *
 * <p>Each parameter owns its array (so products hand it to BLAS without copying a larger buffer);
 * {@link #flatten()} and {@link #load(float[])} give the single flat vector that optimizers' state,
 * checkpoints and parameter averaging work on, in registration order.
 */
public final class Parameters {
    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    private final List<Parameter> ordered = new ArrayList<>();
    private final Parameters sharedValues;

    /** An empty set: each parameter registered owns its values and its gradient. */
    public Parameters() {
        this(null);
    }

    private Parameters(Parameters sharedValues) {
        this.sharedValues = sharedValues;
    }

    /**
     * An empty set whose parameters, as the same layers register them, take the value tensors of
     * {@code source}'s parameters of the same names (shared, not copied) and gradients of their own:
     * a replica that reads the model's weights and accumulates its own gradient.
     */
    public static Parameters sharingValuesOf(Parameters source) {
        return new Parameters(source);
    }

    /** Registers a new zero-initialised parameter (or, sharing values, the source's values). */
    public Parameter add(String name, boolean decay, int... shape) {
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("parameter " + name + " is registered twice");
        }
        Parameter p = sharedValues == null ? Parameter.create(name, decay, shape) : shared(name, decay, shape);
        byName.put(name, p);
        ordered.add(p);
        return p;
    }

    /** Registers a new parameter initialised to ones (LayerNorm gains); shared values are left as they are. */
    public Parameter addOnes(String name, int... shape) {
        Parameter p = add(name, false, shape);
        if (sharedValues == null) {
            p.value().fill(1f);
        }
        return p;
    }

    private Parameter shared(String name, boolean decay, int[] shape) {
        Tensor value = sharedValues.get(name).value();
        if (!java.util.Arrays.equals(value.shape(), shape)) {
            throw new IllegalArgumentException("parameter " + name + " " + java.util.Arrays.toString(shape)
                    + " cannot share the values of shape " + value);
        }
        return new Parameter(name, value, Tensor.zeros(shape), decay);
    }

    public List<Parameter> all() {
        return Collections.unmodifiableList(ordered);
    }

    public Parameter get(String name) {
        Parameter p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return p;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** Total number of scalars. */
    public long count() {
        long n = 0;
        for (Parameter p : ordered) {
            n += p.size();
        }
        return n;
    }

    public void zeroGrad() {
        forEachRange((p, from, to, index) -> java.util.Arrays.fill(p.grad().data, from, to, 0f));
    }

    /**
     * Body of a loop over a piece [from, to) of the elements of parameter p, the {@code index}-th
     * registered: state kept per parameter (an optimizer's moments) is indexed as p's own arrays,
     * so the loop reads every array at one index, which the JIT vectorises.
     */
    @FunctionalInterface
    public interface Piece {
        void run(Parameter p, int from, int to, int index);
    }

    /** Body of a sum over a piece, as {@link Piece}: returns the piece's sum. */
    @FunctionalInterface
    public interface PieceSum {
        double run(Parameter p, int from, int to, int index);
    }

    /**
     * Elementwise work over all parameters as one parallel loop over the flat vector (registration
     * order), cut into one contiguous range per thread and each range into its parameters' pieces:
     * a model of many small tensors spreads over the threads as a large one does.
     */
    public void forEachRange(Piece body) {
        sumOverRanges((p, from, to, index) -> {
            body.run(p, from, to, index);
            return 0;
        });
    }

    /** Σ of {@code body} over the pieces, in flat order within a thread's range and ranges in order ({@link io.sparklm.tensor.Parallel#sum}). */
    public double sumOverRanges(PieceSum body) {
        long[] starts = new long[ordered.size() + 1];
        for (int i = 0; i < ordered.size(); i++) {
            starts[i + 1] = starts[i] + ordered.get(i).size();
        }
        int n = Math.toIntExact(starts[ordered.size()]);
        return io.sparklm.tensor.Parallel.sum(n, 1 << 15, (from, to) -> {
            double sum = 0;
            int i = java.util.Arrays.binarySearch(starts, from);
            i = i >= 0 ? i : -i - 2;
            for (; i < ordered.size() && starts[i] < to; i++) {
                int first = (int) (Math.max(from, starts[i]) - starts[i]);
                int end = (int) (Math.min(to, starts[i + 1]) - starts[i]);
                if (first < end) {
                    sum += body.run(ordered.get(i), first, end, i);
                }
            }
            return sum;
        });
    }

    /** All values concatenated in registration order. */
    public float[] flatten() {
        return gather(false);
    }

    /** All gradients concatenated in registration order. */
    public float[] flattenGrad() {
        return gather(true);
    }

    private float[] gather(boolean grads) {
        float[] flat = new float[Tensor.length("the flat parameter vector", "the model (model.width, model.layers, vocabulary)", count())];
        int at = 0;
        for (Parameter p : ordered) {
            Tensor t = grads ? p.grad() : p.value();
            System.arraycopy(t.data, 0, flat, at, t.size());
            at += t.size();
        }
        return flat;
    }

    /**
     * Copies values [from, from + out.length) of the flat vector {@link #flatten()} would give into
     * {@code out}, without building that vector.
     */
    public void copyValues(long from, float[] out) {
        long end = from + out.length;
        if (from < 0 || end > count()) {
            throw new IllegalArgumentException("values [" + from + ", " + end + ") of " + count() + " parameters");
        }
        long start = 0;
        for (Parameter p : ordered) {
            long stop = start + p.size();
            if (stop > from && start < end) {
                int srcAt = (int) (Math.max(from, start) - start);
                int n = (int) (Math.min(end, stop) - Math.max(from, start));
                System.arraycopy(p.value().data, srcAt, out, (int) (Math.max(from, start) - from), n);
            }
            start = stop;
        }
    }

    /** Overwrites all values from a flat vector produced by {@link #flatten()}. */
    public void load(float[] flat) {
        if (flat.length != count()) {
            throw new IllegalArgumentException("flat vector has " + flat.length + " values, model has " + count());
        }
        int at = 0;
        for (Parameter p : ordered) {
            System.arraycopy(flat, at, p.value().data, 0, p.size());
            at += p.size();
        }
    }

    /** Copies every value from {@code other}, which must have the same names and shapes. */
    public void copyFrom(Parameters other) {
        for (Parameter p : ordered) {
            Tensor src = other.get(p.name()).value();
            p.value().requireSameShape(src);
            System.arraycopy(src.data, 0, p.value().data, 0, p.size());
        }
    }

    /**
     * Copies the values of every parameter of {@code other} whose name and shape one of these has,
     * leaving the others as they are: a body moved into a model with other heads.
     *
     * @return how many parameters were copied
     */
    public int copyMatchingFrom(Parameters other) {
        int copied = 0;
        for (Parameter p : ordered) {
            if (other.contains(p.name()) && other.get(p.name()).value().sameShape(p.value())) {
                System.arraycopy(other.get(p.name()).value().data, 0, p.value().data, 0, p.size());
                copied++;
            }
        }
        return copied;
    }
}
