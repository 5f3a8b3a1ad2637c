package io.sparklm.tensor;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A float buffer in native memory that {@link Blas} reads and writes in place, at any offset. A
 * Java array passed to OpenBLAS through JavaCPP is copied whole into a fresh native allocation and
 * back around every call ({@code Get/ReleaseFloatArrayElements}); for GPT-2's tied embedding
 * (50257 × 768, 154 MB) that doubled the time of the head's products. {@link Blas} runs whole-array
 * products in place ({@link CriticalGemm}); a head, whose products start at row offsets, copies
 * its operands in once per pass instead and runs every product of its row chunks on these
 * buffers. Freed by {@link #close}, or with the owner's last reference.
 */
public final class NativeFloats implements AutoCloseable {
    /**
     * Floats from which a copy in or out runs on every loop thread ({@link Parallel#forRange} runs
     * a shorter one inline): one thread copying a 12 MB activation into a product's staging buffer
     * leaves the other cores idle.
     */
    static final int PARALLEL_COPY = 1 << 20;

    private final FloatPointer pointer;
    private final long length;

    public NativeFloats(long length) {
        if (length <= 0) {
            throw new IllegalArgumentException("a native buffer needs a positive length, got " + length);
        }
        this.pointer = new FloatPointer(length);
        this.length = length;
    }

    public long length() {
        return length;
    }

    /** this[at, at + count) = src[from, from + count); a copy of {@link #PARALLEL_COPY} floats or more is split over threads. */
    public void put(float[] src, int from, int count, long at) {
        check(at, count);
        Parallel.forRange(count, PARALLEL_COPY / 2, (i, j) -> view(at + i).put(src, from + i, j - i));
    }

    /** dst[from, from + count) = this[at, at + count); split over threads as {@link #put} is. */
    public void get(long at, float[] dst, int from, int count) {
        check(at, count);
        Parallel.forRange(count, PARALLEL_COPY / 2, (i, j) -> view(at + i).get(dst, from + i, j - i));
    }

    /** this[0, count) = 0. */
    public void zero(long count) {
        check(0, count);
        Pointer.memset(pointer, 0, 4 * count);
    }

    /** Frees the native memory now; the buffer is not used again. */
    @Override
    public void close() {
        pointer.close();
    }

    /** The buffer from element {@code at} on, as OpenBLAS receives it. */
    FloatPointer at(long at, long count) {
        check(at, count);
        return view(at);
    }

    /**
     * A pointer to element {@code at}: a plain copy of the address, so threads working on disjoint
     * ranges share nothing ({@code Pointer.getPointer} builds it by reflection on every call, a
     * cost paid three times per product and once per copy).
     */
    private FloatPointer view(long at) {
        return new FloatPointer(pointer).position(at);
    }

    private void check(long at, long count) {
        if (at < 0 || count < 0 || at + count > length) {
            throw new IndexOutOfBoundsException("[" + at + ", " + (at + count) + ") of a native buffer of " + length);
        }
    }
}
