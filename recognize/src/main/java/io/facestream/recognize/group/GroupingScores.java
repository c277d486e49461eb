package io.facestream.recognize.group;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a grouping matches the known people, by the two measures the face-clustering literature reports.
 *
 * <ul>
 *   <li><b>Pairwise</b>: over all pairs of faces, precision = pairs put together that are one person / pairs put
 *       together; recall = pairs of one person put together / pairs of one person. Big groups weigh
 *       quadratically, so one wrong merge of two large people shows at once.</li>
 *   <li><b>BCubed</b> (Bagga and Baldwin 1998): per face, precision = the share of its group that is its person,
 *       recall = the share of its person that is in its group; each averaged over the faces. Every face weighs
 *       the same, so the many people with one or two photos count as much as the famous.</li>
 * </ul>
 * F is the harmonic mean of precision and recall. A grouping that puts no two faces together has pairwise
 * precision 1 (it claims nothing wrong); where no two faces share a person, pairwise recall is 1.
 */
public record GroupingScores(double pairwisePrecision, double pairwiseRecall, double bcubedPrecision, double bcubedRecall,
                             int groups, int people) {

    /** Scores {@code groups} against {@code people}, both one label per face. */
    public static GroupingScores of(Groups groups, int[] people) {
        int[] g = groups.label();
        if (g.length != people.length) {
            throw new IllegalArgumentException("the grouping has " + g.length + " faces, the truth " + people.length);
        }
        int n = g.length;
        Map<Integer, Integer> groupSize = new HashMap<>();
        Map<Integer, Integer> personSize = new HashMap<>();
        Map<Long, Integer> both = new HashMap<>();
        for (int i = 0; i < n; i++) {
            groupSize.merge(g[i], 1, Integer::sum);
            personSize.merge(people[i], 1, Integer::sum);
            both.merge(((long) g[i] << 32) | (people[i] & 0xffffffffL), 1, Integer::sum);
        }
        long together = 0;
        for (int s : groupSize.values()) {
            together += pairs(s);
        }
        long samePerson = 0;
        for (int s : personSize.values()) {
            samePerson += pairs(s);
        }
        long right = 0;
        for (int s : both.values()) {
            right += pairs(s);
        }
        double bp = 0;
        double br = 0;
        for (int i = 0; i < n; i++) {
            double shared = both.get(((long) g[i] << 32) | (people[i] & 0xffffffffL));
            bp += shared / groupSize.get(g[i]);
            br += shared / personSize.get(people[i]);
        }
        return new GroupingScores(together == 0 ? 1 : (double) right / together, samePerson == 0 ? 1 : (double) right / samePerson,
                bp / n, br / n, groupSize.size(), personSize.size());
    }

    /** One int per name, equal names equal ints (numbered from 0 in the order they first come): a labelling to score. */
    public static int[] labels(List<String> names) {
        Map<String, Integer> ids = new HashMap<>();
        int[] out = new int[names.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.computeIfAbsent(names.get(i), k -> ids.size());
        }
        return out;
    }

    /** Pairwise F-score. */
    public double pairwiseF() {
        return f(pairwisePrecision, pairwiseRecall);
    }

    /** BCubed F-score. */
    public double bcubedF() {
        return f(bcubedPrecision, bcubedRecall);
    }

    private static double f(double p, double r) {
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    private static long pairs(long s) {
        return s * (s - 1) / 2;
    }
}
