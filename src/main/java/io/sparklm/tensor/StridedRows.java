package io.sparklm.tensor;

/**
 * A matrix stored in part of a float array: row r starts at {@code offset + r·stride}, and its
 * columns follow contiguously. A head's columns of a (rows, 3C) projection are such a view, and
 * {@link Blas#gemm(boolean, boolean, int, int, int, float, StridedRows, StridedRows, float, StridedRows)}
 * multiplies views without copying them out (the stride is BLAS's leading dimension).
 */
public record StridedRows(float[] data, int offset, int stride) {
    /** The view of a dense (rows, stride) matrix from element 0. */
    public static StridedRows dense(float[] data, int columns) {
        return new StridedRows(data, 0, columns);
    }

    /** The index of row r's first element. */
    public int at(int row) {
        return offset + row * stride;
    }

    /** The view moved by {@code rows} rows and {@code columns} columns. */
    public StridedRows shifted(int rows, int columns) {
        return new StridedRows(data, at(rows) + columns, stride);
    }
}
