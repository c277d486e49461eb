package io.facestream.recognize.group;

/**
 * The exact k nearest neighbours of every face under one embedder (brute force over all pairs), nearest
 * first. At ~10^4 faces this takes seconds and has no recall loss to argue about.
 *
 * @param ids {@code ids[i]} the neighbours of face i, nearest first (never i itself)
 * @param distances {@code distances[i][r]} the squared L2 distance to {@code ids[i][r]}
 */
public record Neighbours(int[][] ids, float[][] distances) {

    /** Rows per task: each run of other faces is read from cache by all of them. */
    private static final int BLOCK = 64;

    /** The {@code k} nearest neighbours of each face of {@code v}, computed on {@code threads} threads. */
    public static Neighbours exact(UnitVectors v, int k, int threads) {
        int n = v.size();
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        int kk = Math.min(k, n - 1);
        int[][] ids = new int[n][];
        float[][] dist = new float[n][];
        DotPanels panels = new DotPanels(v);
        RowBlocks.run(n, BLOCK, threads, (worker, from, to) -> {
            int rows = to - from;
            TopK[] tops = new TopK[rows];
            for (int r = 0; r < rows; r++) {
                tops[r] = new TopK(kk);
            }
            float[] sums = new float[DotPanels.WIDTH];
            for (int j0 = 0; j0 < n; j0 += DotPanels.WIDTH) {
                int count = Math.min(DotPanels.WIDTH, n - j0);
                for (int r = 0; r < rows; r++) {
                    int i = from + r;
                    panels.dots(i, j0, count, sums);
                    TopK top = tops[r];
                    for (int j = 0; j < count; j++) {
                        if (j0 + j != i) {
                            top.offer(j0 + j, 2f - 2f * sums[j]);
                        }
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                tops[r].sortedInto(from + r, ids, dist);
            }
        });
        return new Neighbours(ids, dist);
    }

    /** Number of faces. */
    public int size() {
        return ids.length;
    }

    /** Whether {@code j} is among the neighbours of {@code i}. */
    public boolean contains(int i, int j) {
        for (int x : ids[i]) {
            if (x == j) {
                return true;
            }
        }
        return false;
    }

    /** Whether i and j are neighbours in either direction (the undirected k-NN graph). */
    public boolean linked(int i, int j) {
        return contains(i, j) || contains(j, i);
    }

    /** A bounded max-heap on distance: the k nearest seen so far, the farthest of them at the root. */
    private static final class TopK {
        private final int[] id;
        private final float[] d;
        private int size;

        TopK(int k) {
            id = new int[k];
            d = new float[k];
        }

        void offer(int j, float dist) {
            int k = id.length;
            if (size < k) {
                int c = size++;
                while (c > 0) {
                    int p = (c - 1) >>> 1;
                    if (d[p] >= dist) {
                        break;
                    }
                    id[c] = id[p];
                    d[c] = d[p];
                    c = p;
                }
                id[c] = j;
                d[c] = dist;
            } else if (k > 0 && dist < d[0]) {
                int c = 0;
                while (true) {
                    int l = 2 * c + 1;
                    if (l >= k) {
                        break;
                    }
                    int m = l + 1 < k && d[l + 1] > d[l] ? l + 1 : l;
                    if (d[m] <= dist) {
                        break;
                    }
                    id[c] = id[m];
                    d[c] = d[m];
                    c = m;
                }
                id[c] = j;
                d[c] = dist;
            }
        }

        void sortedInto(int row, int[][] ids, float[][] dist) {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> d[a] != d[b] ? Float.compare(d[a], d[b]) : Integer.compare(id[a], id[b]));
            ids[row] = new int[size];
            dist[row] = new float[size];
            for (int r = 0; r < size; r++) {
                ids[row][r] = id[order[r]];
                dist[row][r] = Math.max(0f, d[order[r]]);
            }
        }
    }
}
