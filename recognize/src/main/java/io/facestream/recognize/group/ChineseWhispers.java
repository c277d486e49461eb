package io.facestream.recognize.group;

import java.util.Random;

/**
 * Chinese Whispers (Biemann 2006), the graph clustering dlib and facenet's contributed clustering use for faces:
 * every face starts in a group of its own; round after round, in a fresh random order, each face takes the
 * label that carries the most edge weight among its neighbours. It stops when a round changes nothing, or
 * after {@code maxRounds}. A fixed seed makes the order, hence the result, repeatable.
 *
 * <p>Ties go to the lower label, so the outcome depends on the seed alone, not on hash order.
 */
public final class ChineseWhispers {

    /** The groups and the rounds run. */
    public record Result(Groups groups, int rounds, boolean converged) {
    }

    private ChineseWhispers() {
    }

    /** Clusters the graph {@code edges}, whose weights are similarities (higher pulls harder, all positive). */
    public static Result run(Edges edges, int maxRounds, long seed) {
        if (maxRounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, was " + maxRounds);
        }
        int n = edges.size();
        int[][] inc = edges.incidence();
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            label[i] = i;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        double[] weightOf = new double[n]; // summed weight per label, reset after each face via `touched`
        int[] touched = new int[n];
        int rounds = 0;
        boolean changed = true;
        while (changed && rounds < maxRounds) {
            rounds++;
            changed = false;
            for (int x = n - 1; x > 0; x--) { // Fisher–Yates
                int y = random.nextInt(x + 1);
                int t = order[x];
                order[x] = order[y];
                order[y] = t;
            }
            for (int i : order) {
                if (inc[i].length == 0) {
                    continue;
                }
                int nt = 0;
                for (int e : inc[i]) {
                    int l = label[edges.other(e, i)];
                    if (weightOf[l] == 0) {
                        touched[nt++] = l;
                    }
                    weightOf[l] += edges.weight()[e];
                }
                int best = -1;
                double bestWeight = -1;
                for (int t = 0; t < nt; t++) {
                    int l = touched[t];
                    if (weightOf[l] > bestWeight || (weightOf[l] == bestWeight && l < best)) {
                        best = l;
                        bestWeight = weightOf[l];
                    }
                    weightOf[l] = 0;
                }
                if (best != label[i]) {
                    label[i] = best;
                    changed = true;
                }
            }
        }
        return new Result(Groups.of(label), rounds, !changed);
    }

    /** The same graph with each distance edge weighted by cosine similarity, 1 − d/2, as facenet's clustering weighs. */
    public static Edges similarityWeights(Edges distances) {
        float[] w = new float[distances.count()];
        for (int e = 0; e < w.length; e++) {
            w[e] = 1f - distances.weight()[e] / 2f;
        }
        return new Edges(distances.size(), distances.a(), distances.b(), w);
    }
}
