package io.facestream.recognize.group;

/**
 * Dot products of one face against a run of others, laid out so the JIT compiler vectorises the loop: the
 * vectors are transposed once (value d of every face in one row), and each step adds one value of the query
 * times a contiguous run of the others into the sums, a multiply-add over plain arrays, four values of the
 * query per pass. On this (busy, 2-core) machine that ran about 1.5–2× faster than one dot product per pair,
 * and the k-NN graphs of LFW in half the time.
 */
final class DotPanels {

    /** Faces per run: their sums (1 KB) stay in the first-level cache, the run of values in the second. */
    static final int WIDTH = 256;

    private final float[] data;
    private final float[] transposed;
    private final int n;
    private final int dim;

    DotPanels(UnitVectors v) {
        this.data = v.data();
        this.n = v.size();
        this.dim = v.dim();
        this.transposed = new float[data.length];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                transposed[d * n + i] = data[i * dim + d];
            }
        }
    }

    int size() {
        return n;
    }

    /** {@code sums[j] = dot(face i, face j0 + j)} for {@code j < count}. */
    void dots(int i, int j0, int count, float[] sums) {
        java.util.Arrays.fill(sums, 0, count, 0f);
        int ai = i * dim;
        int d = 0;
        // four values of the query per pass: each sum is loaded and stored once per four multiply-adds
        for (; d + 3 < dim; d += 4) {
            float x0 = data[ai + d];
            float x1 = data[ai + d + 1];
            float x2 = data[ai + d + 2];
            float x3 = data[ai + d + 3];
            int b0 = d * n + j0;
            int b1 = b0 + n;
            int b2 = b1 + n;
            int b3 = b2 + n;
            for (int j = 0; j < count; j++) {
                sums[j] += x0 * transposed[b0 + j] + x1 * transposed[b1 + j] + x2 * transposed[b2 + j] + x3 * transposed[b3 + j];
            }
        }
        for (; d < dim; d++) {
            float x = data[ai + d];
            int base = d * n + j0;
            for (int j = 0; j < count; j++) {
                sums[j] += x * transposed[base + j];
            }
        }
    }
}
