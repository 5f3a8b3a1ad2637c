package io.sparklm.tensor;

import java.util.Arrays;

/**
 * A dense row-major float tensor: a shape and a {@code float[]} that holds exactly its elements.
 *
 * <p>Each tensor owns its array (offset 0, length = product of the shape), so it can be handed to
 * {@link Blas} whole. Element (i, j, k) of a (A, B, C) tensor is {@code data[(i * B + j) * C + k]}.
 */
public final class Tensor {
    private final int[] shape;
    public final float[] data;

    private Tensor(int[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    /** A tensor of zeros with the given shape; every size must be positive. */
    public static Tensor zeros(int... shape) {
        return new Tensor(shape.clone(), new float[checkedSize(shape)]);
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        int size = checkedSize(shape);
        if (data.length != size) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + size + " values, got " + data.length);
        }
        return new Tensor(shape.clone(), data);
    }

    /** A tensor from nested rows, for tests and small constants: {@code matrix({1,2},{3,4})}. */
    public static Tensor matrix(double[]... rows) {
        int cols = rows[0].length;
        float[] data = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + cols);
            }
            for (int j = 0; j < cols; j++) {
                data[i * cols + j] = (float) rows[i][j];
            }
        }
        return new Tensor(new int[] {rows.length, cols}, data);
    }

    /** The most elements a Java array (hence a tensor) holds on HotSpot. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static int checkedSize(int[] shape) {
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor sizes must be positive, got " + Arrays.toString(shape));
            }
        }
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[i];
        }
        return length("tensor of shape " + Arrays.toString(shape), "a smaller shape", dims);
    }

    /**
     * ∏ dims, computed in long, as an array length: {@code length("attention scores (B·H·T·T)",
     * "train.batchSize or model.blockSize", 64, 12, 2048, 2048)} fails with a message naming the
     * sizes, the product and what to reduce, where an int product would silently wrap.
     */
    public static int length(String what, String reduce, long... dims) {
        long size = 1;
        StringBuilder product = new StringBuilder();
        boolean overflow = false;
        for (long d : dims) {
            product.append(product.length() == 0 ? "" : "·").append(d);
            if (!overflow && d != 0 && size > Long.MAX_VALUE / Math.abs(d)) {
                overflow = true;
            }
            size *= d;
        }
        if (overflow || size > MAX_ELEMENTS) {
            throw new IllegalArgumentException(what + " needs " + product + (overflow ? "" : " = " + size)
                    + " floats, more than the " + MAX_ELEMENTS + " one array holds: reduce " + reduce);
        }
        return (int) size;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public int size() {
        return data.length;
    }

    /** Number of rows when the tensor is seen as a matrix (all leading axes, last axis as columns). */
    public int rows() {
        return data.length / shape[shape.length - 1];
    }

    /** The same data seen with another shape of equal size. */
    public Tensor reshape(int... newShape) {
        return of(data, newShape);
    }

    public Tensor copy() {
        return new Tensor(shape.clone(), data.clone());
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    public float get(int... index) {
        return data[flatIndex(index)];
    }

    public void set(float value, int... index) {
        data[flatIndex(index)] = value;
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index rank " + index.length + " for shape " + Arrays.toString(shape));
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " for shape " + Arrays.toString(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    public void fill(float value) {
        Arrays.fill(data, value);
    }

    /** this += other, element-wise. */
    public void addInPlace(Tensor other) {
        requireSameShape(other);
        float[] o = other.data;
        for (int i = 0; i < data.length; i++) {
            data[i] += o[i];
        }
    }

    public void requireSameShape(Tensor other) {
        if (!sameShape(other)) {
            throw new IllegalArgumentException("shape " + Arrays.toString(other.shape) + " does not match " + Arrays.toString(shape));
        }
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
