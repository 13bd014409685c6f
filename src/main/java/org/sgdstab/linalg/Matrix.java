package org.sgdstab.linalg;

import java.util.Arrays;

/**
 * A dense row-major matrix of doubles: element (i, j) is {@code data[i * cols + j]}.
 *
 * <p>The shape is fixed at construction; the contents are mutable. Kernels take their output
 * matrix as an argument and say in their Javadoc which arguments they modify. {@link #equals}
 * is exact (no tolerance), like {@link Arrays#equals(double[], double[])}.
 */
public final class Matrix {
    /** Number of rows. */
    public final int rows;
    /** Number of columns. */
    public final int cols;
    /** Row-major storage of length {@code rows * cols}. */
    public final double[] data;

    /** A zero matrix of the given shape. */
    public Matrix(int rows, int cols) {
        this(rows, cols, new double[checkedSize(rows, cols)]);
    }

    /**
     * Wraps {@code data} (not copied) as a {@code rows × cols} matrix.
     *
     * @throws IllegalArgumentException if {@code data.length != rows * cols}
     */
    public Matrix(int rows, int cols, double[] data) {
        if (data.length != checkedSize(rows, cols)) {
            throw new IllegalArgumentException(
                    "data has " + data.length + " elements, shape " + rows + "x" + cols + " needs " + rows * (long) cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    private static int checkedSize(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        }
        long size = (long) rows * cols;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " is too large for one array");
        }
        return (int) size;
    }

    /** Builds a matrix from rows; every row must have the same length. */
    public static Matrix of(double[][] values) {
        int r = values.length;
        int c = r == 0 ? 0 : values[0].length;
        Matrix m = new Matrix(r, c);
        for (int i = 0; i < r; i++) {
            if (values[i].length != c) {
                throw new IllegalArgumentException("ragged rows: row " + i + " has " + values[i].length + " columns, expected " + c);
            }
            System.arraycopy(values[i], 0, m.data, i * c, c);
        }
        return m;
    }

    /** The identity matrix of size n. */
    public static Matrix identity(int n) {
        Matrix m = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            m.data[i * n + i] = 1.0;
        }
        return m;
    }

    public double get(int i, int j) {
        return data[i * cols + j];
    }

    public void set(int i, int j, double v) {
        data[i * cols + j] = v;
    }

    /** A deep copy. */
    public Matrix copy() {
        return new Matrix(rows, cols, data.clone());
    }

    /** The transpose, newly allocated. */
    public Matrix transpose() {
        Matrix t = new Matrix(cols, rows);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t.data[j * rows + i] = data[i * cols + j];
            }
        }
        return t;
    }

    /** Copy of row i. */
    public double[] row(int i) {
        return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }

    /** Sets every element to zero. Modifies this. */
    public Matrix zeroInPlace() {
        Arrays.fill(data, 0.0);
        return this;
    }

    /** Multiplies every element by s. Modifies this. */
    public Matrix scaleInPlace(double s) {
        for (int i = 0; i < data.length; i++) {
            data[i] *= s;
        }
        return this;
    }

    /** this += s * other. Modifies this. */
    public Matrix addInPlace(double s, Matrix other) {
        requireSameShape(this, other);
        for (int i = 0; i < data.length; i++) {
            data[i] += s * other.data[i];
        }
        return this;
    }

    /** Sum of the diagonal of a square matrix. */
    public double trace() {
        requireSquare(this);
        double t = 0;
        for (int i = 0; i < rows; i++) {
            t += data[i * cols + i];
        }
        return t;
    }

    /** Frobenius norm, computed with scaling so it does not overflow. */
    public double frobeniusNorm() {
        return Vectors.norm2(data);
    }

    /** True if every element is finite. */
    public boolean allFinite() {
        for (double v : data) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Throws unless a and b have the same shape. */
    public static void requireSameShape(Matrix a, Matrix b) {
        if (a.rows != b.rows || a.cols != b.cols) {
            throw new IllegalArgumentException("shape mismatch: " + a.shape() + " vs " + b.shape());
        }
    }

    /** Throws unless m has the given shape. */
    public static void requireShape(Matrix m, int rows, int cols, String name) {
        if (m.rows != rows || m.cols != cols) {
            throw new IllegalArgumentException(name + " has shape " + m.shape() + ", expected " + rows + "x" + cols);
        }
    }

    /** Throws unless m is square. */
    public static void requireSquare(Matrix m) {
        if (m.rows != m.cols) {
            throw new IllegalArgumentException("matrix is not square: " + m.shape());
        }
    }

    /** "rows x cols". */
    public String shape() {
        return rows + "x" + cols;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Matrix ").append(shape()).append('\n');
        int rr = Math.min(rows, 8);
        int cc = Math.min(cols, 8);
        for (int i = 0; i < rr; i++) {
            for (int j = 0; j < cc; j++) {
                sb.append(String.format("%12.5g ", get(i, j)));
            }
            sb.append(cols > cc ? "...\n" : "\n");
        }
        if (rows > rr) {
            sb.append("...\n");
        }
        return sb.toString();
    }
}
