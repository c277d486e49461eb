package io.facestream.recognize.group;

import java.util.Arrays;

/**
 * CDP's label propagation: the groups are the connected components of the agreed graph, except that a
 * component larger than {@code maxSize} is taken apart by raising a score threshold and dropping the edges
 * below it, again and again, until each piece is small enough. One wrong link can chain two people (or
 * two hundred) into one component; the weakest links are the likeliest wrong ones, so they go first.
 *
 * <p>The threshold starts at the lowest edge score and moves each round a fixed fraction {@code step} of the
 * way to 1 ({@code t ← t + (1 − t)·step}), as CDP's {@code graph_propagation} does; components that fit are
 * kept as they stand at the round that first finds them.
 */
public final class Propagation {

    /** CDP's published setting: each round moves the threshold 5% of the way to 1. */
    public static final double CDP_STEP = 0.05;
    /** Rounds after which any piece still too big is kept as it stands (CDP stops at 100 too). */
    static final int MAX_ROUNDS = 100;

    /** The groups and how much splitting they took. */
    public record Result(Groups groups, int rounds, int splitComponents, double lastThreshold) {
    }

    private Propagation() {
    }

    /** Groups the faces of {@code edges} (weights are scores, higher is surer) with components of at most {@code maxSize}. */
    public static Result run(Edges edges, int maxSize, double step) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("the group size limit must be at least 1, was " + maxSize);
        }
        if (!(step > 0 && step < 1)) {
            throw new IllegalArgumentException("the threshold step must be in (0, 1), was " + step);
        }
        int n = edges.size();
        int[] label = new int[n];
        Arrays.fill(label, -1);
        boolean[] remain = new boolean[n];
        Arrays.fill(remain, true);
        double th = Double.NEGATIVE_INFINITY; // the first round uses every edge
        double minScore = Double.POSITIVE_INFINITY;
        for (float w : edges.weight()) {
            minScore = Math.min(minScore, w);
        }
        int rounds = 0;
        int split = 0;
        boolean any = true;
        while (any) {
            UnionFind uf = new UnionFind(n);
            for (int e = 0; e < edges.count(); e++) {
                int a = edges.a()[e];
                int b = edges.b()[e];
                if (remain[a] && remain[b] && edges.weight()[e] >= th) {
                    uf.union(a, b);
                }
            }
            any = false;
            boolean last = rounds + 1 >= MAX_ROUNDS;
            for (int i = 0; i < n; i++) {
                if (!remain[i]) {
                    continue;
                }
                if (uf.sizeOf(i) <= maxSize || last) {
                    label[i] = uf.find(i);
                } else {
                    any = true;
                }
            }
            for (int i = 0; i < n; i++) {
                if (remain[i] && label[i] >= 0) {
                    remain[i] = false;
                }
            }
            if (any && rounds == 0) {
                split = countOversized(uf, remain, n);
            }
            rounds++;
            if (any) {
                th = Double.isInfinite(th) ? minScore : th;
                th = th + (1 - th) * step;
            }
        }
        // Labels are union-find roots of different rounds; a later round joins only faces still waiting, so its
        // roots are faces no earlier group holds and no two groups share a label.
        return new Result(Groups.of(label), rounds, split, Double.isInfinite(th) ? Double.NaN : th);
    }

    private static int countOversized(UnionFind uf, boolean[] remain, int n) {
        java.util.Set<Integer> roots = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            if (remain[i]) {
                roots.add(uf.find(i));
            }
        }
        return roots.size();
    }
}
