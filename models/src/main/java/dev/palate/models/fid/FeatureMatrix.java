package dev.palate.models.fid;

/** Activations of n images, row-major float64 [rows, dim] (pytorch-fid keeps them as a float64 numpy array). */
public record FeatureMatrix(double[] data, int rows, int dim) {
    public FeatureMatrix {
        if ((long) rows * dim != data.length)
            throw new IllegalArgumentException(data.length + " values do not fill " + rows + "x" + dim);
    }

    /** The first {@code n} rows (a view copy). */
    public FeatureMatrix head(int n) {
        if (n > rows) throw new IllegalArgumentException("asked for " + n + " rows of " + rows);
        return new FeatureMatrix(java.util.Arrays.copyOf(data, n * dim), n, dim);
    }

    public double at(int row, int col) { return data[row * dim + col]; }
}
