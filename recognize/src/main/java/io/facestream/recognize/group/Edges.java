package io.facestream.recognize.group;

import java.util.Arrays;

/**
 * An undirected weighted graph over faces {@code 0..size-1} as an edge list: edge e joins {@code a[e] < b[e]}
 * with {@code weight[e]} (its meaning, a distance or a score, is the builder's).
 */
public record Edges(int size, int[] a, int[] b, float[] weight) {

    public Edges {
        if (a.length != b.length || a.length != weight.length) {
            throw new IllegalArgumentException("edge arrays differ in length: " + a.length + ", " + b.length + ", " + weight.length);
        }
    }

    /** Number of edges. */
    public int count() {
        return a.length;
    }

    /** For each face, the indices of its edges (both ends): the adjacency the graph algorithms walk. */
    public int[][] incidence() {
        int[] deg = new int[size];
        for (int e = 0; e < a.length; e++) {
            deg[a[e]]++;
            deg[b[e]]++;
        }
        int[][] inc = new int[size][];
        for (int i = 0; i < size; i++) {
            inc[i] = new int[deg[i]];
        }
        Arrays.fill(deg, 0);
        for (int e = 0; e < a.length; e++) {
            inc[a[e]][deg[a[e]]++] = e;
            inc[b[e]][deg[b[e]]++] = e;
        }
        return inc;
    }

    /** The face at the other end of edge {@code e} from {@code i}. */
    public int other(int e, int i) {
        return a[e] == i ? b[e] : a[e];
    }

    /** Collects edges; not thread-safe (one per worker, then {@link #concat}). */
    static final class Builder {
        private int[] a = new int[1024];
        private int[] b = new int[1024];
        private float[] w = new float[1024];
        private int n;

        void add(int i, int j, float weight) {
            if (n == a.length) {
                a = Arrays.copyOf(a, 2 * n);
                b = Arrays.copyOf(b, 2 * n);
                w = Arrays.copyOf(w, 2 * n);
            }
            a[n] = Math.min(i, j);
            b[n] = Math.max(i, j);
            w[n] = weight;
            n++;
        }

        int count() {
            return n;
        }

        static Edges concat(int size, Builder... parts) {
            int total = 0;
            for (Builder p : parts) {
                total += p.n;
            }
            int[] a = new int[total];
            int[] b = new int[total];
            float[] w = new float[total];
            int at = 0;
            for (Builder p : parts) {
                System.arraycopy(p.a, 0, a, at, p.n);
                System.arraycopy(p.b, 0, b, at, p.n);
                System.arraycopy(p.w, 0, w, at, p.n);
                at += p.n;
            }
            return new Edges(size, a, b, w);
        }
    }
}
