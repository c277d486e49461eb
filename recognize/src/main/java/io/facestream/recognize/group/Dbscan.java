package io.facestream.recognize.group;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * DBSCAN (Ester et al. 1996) over a precomputed neighbourhood graph: the edges of a {@link RadiusGraph} at
 * {@code eps}. A face with at least {@code minSamples} faces within eps (itself included, as scikit-learn
 * counts) is a core face; clusters grow from core faces through core faces and take in the border faces
 * they reach. Faces no cluster reaches (noise) are each a group of their own, so every face has a group.
 *
 * <p>With {@code minSamples = 1} every face is a core face and the clusters are the connected components of
 * the eps graph: single linkage cut at eps.
 */
public final class Dbscan {

    /** The groups and how many faces were noise (singletons by DBSCAN's own verdict). */
    public record Result(Groups groups, int noise) {
    }

    private Dbscan() {
    }

    /** Clusters the faces of {@code withinEps} (every pair within eps, as from {@link RadiusGraph#within}). */
    public static Result run(Edges withinEps, int minSamples) {
        if (minSamples < 1) {
            throw new IllegalArgumentException("min samples must be at least 1, was " + minSamples);
        }
        int n = withinEps.size();
        int[][] inc = withinEps.incidence();
        boolean[] core = new boolean[n];
        for (int i = 0; i < n; i++) {
            core[i] = inc[i].length + 1 >= minSamples;
        }
        int[] label = new int[n];
        Arrays.fill(label, -1);
        int next = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int s = 0; s < n; s++) {
            if (!core[s] || label[s] >= 0) {
                continue;
            }
            int c = next++;
            label[s] = c;
            queue.add(s);
            while (!queue.isEmpty()) {
                int i = queue.poll();
                for (int e : inc[i]) {
                    int j = withinEps.other(e, i);
                    if (label[j] < 0) {
                        label[j] = c;
                        if (core[j]) {
                            queue.add(j); // border faces join but do not extend the cluster
                        }
                    }
                }
            }
        }
        int noise = 0;
        for (int i = 0; i < n; i++) {
            if (label[i] < 0) {
                label[i] = next++;
                noise++;
            }
        }
        return new Result(Groups.of(label), noise);
    }
}
