package io.facestream.recognize.group;

/** Every pair of faces within a squared L2 distance of each other, found exactly over all pairs. */
public final class RadiusGraph {

    private static final int BLOCK = 32;

    private RadiusGraph() {
    }

    /**
     * The pairs {@code i < j} with squared L2 distance at most {@code radius}, weighted by that distance.
     * Each pair is compared once (j above i), on {@code threads} threads.
     */
    public static Edges within(UnitVectors v, double radius, int threads) {
        if (!(radius >= 0 && radius <= 4)) {
            throw new IllegalArgumentException("radius is a squared L2 distance between unit vectors, in [0, 4]; was " + radius);
        }
        int n = v.size();
        DotPanels panels = new DotPanels(v);
        // dot ≥ 1 − r/2 is the same test as 2 − 2·dot ≤ r, without a subtraction per pair
        float minDot = (float) (1 - radius / 2);
        Edges.Builder[] parts = new Edges.Builder[Math.max(1, threads)];
        for (int t = 0; t < parts.length; t++) {
            parts[t] = new Edges.Builder();
        }
        // Blocks of rows near the end have less work (j > i): small blocks keep the threads even.
        RowBlocks.run(n, BLOCK, parts.length, (worker, from, to) -> {
            Edges.Builder out = parts[worker];
            float[] sums = new float[DotPanels.WIDTH];
            for (int j0 = from + 1; j0 < n; j0 += DotPanels.WIDTH) {
                int count = Math.min(DotPanels.WIDTH, n - j0);
                for (int i = from; i < to && i < j0 + count - 1; i++) {
                    int skip = Math.max(0, i + 1 - j0); // only j > i
                    panels.dots(i, j0, count, sums);
                    for (int j = skip; j < count; j++) {
                        if (sums[j] >= minDot) {
                            out.add(i, j0 + j, 0f);
                        }
                    }
                }
            }
        });
        return sorted(Edges.Builder.concat(n, parts), v);
    }

    /** The edges in (a, b) order, whatever order the threads found them in, so that every run is the same. */
    private static Edges sorted(Edges e, UnitVectors v) {
        long[] keys = new long[e.count()];
        for (int x = 0; x < keys.length; x++) {
            keys[x] = ((long) e.a()[x] << 32) | e.b()[x];
        }
        java.util.Arrays.sort(keys);
        int[] a = new int[keys.length];
        int[] b = new int[keys.length];
        float[] w = new float[keys.length];
        for (int x = 0; x < keys.length; x++) {
            a[x] = (int) (keys[x] >>> 32);
            b[x] = (int) keys[x];
            w[x] = v.squaredDistance(a[x], b[x]);
        }
        return new Edges(e.size(), a, b, w);
    }
}
