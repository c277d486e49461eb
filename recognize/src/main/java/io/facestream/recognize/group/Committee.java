package io.facestream.recognize.group;

import java.util.List;

/**
 * The consensus of a committee of embedders over their k-nearest-neighbour graphs (after CDP, Zhan et al. 2018):
 * two faces are linked only when <em>every</em> member has them as k-NN neighbours (in either direction) and
 * every member puts them within its own verification threshold. Independent networks rarely make the same
 * mistake on the same pair, so an agreed link is far more often the same person than either network's alone.
 *
 * <p>An edge's score is the weakest member's margin, {@code min over members of (1 − d/threshold)}, in (0, 1]:
 * 1 for identical faces, near 0 for a pair one member only just accepts. Dividing by each member's own
 * threshold puts networks with different spreads on one scale.
 */
public final class Committee {

    /** One embedder of the committee: its vectors, their k-NN graph and its verification threshold (squared L2). */
    public record Member(UnitVectors vectors, Neighbours neighbours, double threshold) {

        public Member {
            if (!(threshold > 0 && threshold <= 4)) {
                throw new IllegalArgumentException("threshold of " + vectors.name() + " must be in (0, 4] (squared L2), was " + threshold);
            }
            if (neighbours.size() != vectors.size()) {
                throw new IllegalArgumentException("the k-NN graph of " + vectors.name() + " has " + neighbours.size()
                        + " faces, its vectors " + vectors.size());
            }
        }

        /** Builds the member's exact k-NN graph on {@code threads} threads. */
        public static Member of(UnitVectors vectors, int k, double threshold, int threads) {
            return new Member(vectors, Neighbours.exact(vectors, k, threads), threshold);
        }
    }

    private Committee() {
    }

    /** The agreed edges, each scored by the weakest member's margin (see the class comment). */
    public static Edges agree(List<Member> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a committee needs at least one member");
        }
        int n = members.get(0).vectors().size();
        for (Member m : members) {
            if (m.vectors().size() != n) {
                throw new IllegalArgumentException("committee members embed different numbers of faces: "
                        + m.vectors().name() + " has " + m.vectors().size() + ", " + members.get(0).vectors().name() + " " + n);
            }
        }
        Member first = members.get(0);
        Edges.Builder out = new Edges.Builder();
        for (int i = 0; i < n; i++) {
            int[] ids = first.neighbours().ids()[i];
            for (int j : ids) {
                // each undirected k-NN pair once: from its lower end, or from the only end that lists the other
                if (j < i && first.neighbours().contains(j, i)) {
                    continue;
                }
                float score = score(members, i, j);
                if (score >= 0) {
                    out.add(i, j, score);
                }
            }
        }
        return sorted(Edges.Builder.concat(n, out));
    }

    /** The weakest member's margin for the pair, or −1 when a member does not list it or puts it past its threshold. */
    static float score(List<Member> members, int i, int j) {
        float min = Float.MAX_VALUE;
        for (Member m : members) {
            if (!m.neighbours().linked(i, j)) {
                return -1;
            }
            double d = m.vectors().squaredDistance(i, j);
            if (d > m.threshold()) {
                return -1;
            }
            min = Math.min(min, (float) (1 - d / m.threshold()));
        }
        return min;
    }

    private static Edges sorted(Edges e) {
        Integer[] order = new Integer[e.count()];
        for (int x = 0; x < order.length; x++) {
            order[x] = x;
        }
        java.util.Arrays.sort(order, (x, y) -> e.a()[x] != e.a()[y] ? Integer.compare(e.a()[x], e.a()[y]) : Integer.compare(e.b()[x], e.b()[y]));
        int[] a = new int[order.length];
        int[] b = new int[order.length];
        float[] w = new float[order.length];
        for (int x = 0; x < order.length; x++) {
            a[x] = e.a()[order[x]];
            b[x] = e.b()[order[x]];
            w[x] = e.weight()[order[x]];
        }
        return new Edges(e.size(), a, b, w);
    }
}
