package io.sparklm.nn;

import io.sparklm.tensor.StridedRows;

/**
 * The keys and values that one causal self-attention layer has computed for one sequence, kept so
 * that a decoder computes only its new positions: row s is k_s | v_s (2C floats) for positions
 * s = 0…length−1, with room for {@code capacity} positions (the model's blockSize).
 */
public final class KeyValueCache {
    private final int capacity;
    private final int width;
    private final float[] rows;
    private int length;

    /** An empty cache for up to {@code capacity} positions of width C. */
    public KeyValueCache(int capacity, int width) {
        if (capacity <= 0 || width <= 0) {
            throw new IllegalArgumentException("a key-value cache needs a positive capacity and width, got "
                    + capacity + " and " + width);
        }
        this.capacity = capacity;
        this.width = width;
        this.rows = new float[capacity * 2 * width];
    }

    /** Positions held. */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /** Forgets every position (the storage is reused). */
    public void clear() {
        length = 0;
    }

    /**
     * Appends the k | v columns of {@code count} fused q | k | v rows (stride 3C) of {@code qkv},
     * from row {@code first}, as positions length…length+count−1.
     */
    void append(float[] qkv, int first, int count) {
        if (length + count > capacity) {
            throw new IllegalArgumentException("a key-value cache holding " + length + " of " + capacity
                    + " positions cannot take " + count + " more: clear it and append a shorter window");
        }
        for (int r = 0; r < count; r++) {
            System.arraycopy(qkv, (first + r) * 3 * width + width, rows, (length + r) * 2 * width, 2 * width);
        }
        length += count;
    }

    StridedRows keys() {
        return new StridedRows(rows, 0, 2 * width);
    }

    StridedRows values() {
        return new StridedRows(rows, width, 2 * width);
    }
}
