package io.facestream.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facestream.core.Embedding;
import io.facestream.recognize.engine.EnsembleWeights;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.engine.FaceVariants;
import io.facestream.recognize.eval.Pair;
import io.facestream.recognize.eval.PairsFile;
import io.facestream.recognize.eval.VerificationProtocol;
import io.facestream.recognize.group.GroupingScores;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Grouping scored with thresholds that never saw the people grouped. The grouping thresholds are verification
 * thresholds, and the engine's defaults were picked by the verification protocol on LFW's pairs; scoring a grouping of
 * LFW under them would let the data judged choose its own threshold. Here a pairs file's folds (LFW's are disjoint in
 * people) are cut into two halves. Each network's threshold, and the ensemble's, is picked on one half's pairs by the
 * rule the defaults came from (the verification protocol's mean per-fold threshold), and the faces of every person
 * that half's pairs do not show are grouped under it and scored. Each method also runs on the same faces under the
 * defaults, so the table shows what choosing the threshold on the judged people was worth. Then the halves swap.
 */
final class GroupCrossCheck {

    /** Groups a subset of the faces with one method under given thresholds, scored against {@code truth}. */
    @FunctionalInterface
    interface Runner {
        GroupMethod.Run run(GroupMethod method, GroupCommand.Embedded faces, GroupCommand.Thresholds thresholds, int[] truth);
    }

    /** One half of the pairs file's folds (ids from 0): whose pairs pick the thresholds, and so whose faces are left out. */
    record Half(String name, List<Integer> folds, Set<String> people) {
    }

    /** One half's figures: its thresholds, how many faces and people it grouped, and each method's run both ways. */
    record Outcome(Half half, GroupCommand.Thresholds thresholds, int faces, int people,
                   List<GroupMethod.Run> heldOut, List<GroupMethod.Run> defaults) {
    }

    private final Path pairsFile;
    private final List<Outcome> outcomes;

    private GroupCrossCheck(Path pairsFile, List<Outcome> outcomes) {
        this.pairsFile = pairsFile;
        this.outcomes = outcomes;
    }

    List<Outcome> outcomes() {
        return outcomes;
    }

    /**
     * Runs the check.
     *
     * @param faces     the embedded faces, in the order of {@code people}
     * @param people    each face's person (its folder name)
     */
    static GroupCrossCheck run(Path pairsTxt, Path images, List<Path> faces, Map<Path, FaceVariants> variants,
                               List<String> people, Set<GroupMethod> methods, Runner runner) throws IOException {
        PairsFile pf = PairsFile.read(pairsTxt, images);
        Map<Path, FaceVariants> byPath = new HashMap<>();
        variants.forEach((p, v) -> byPath.put(key(p), v));
        List<Outcome> outcomes = new ArrayList<>();
        for (Half half : halves(pf)) {
            GroupCommand.Thresholds t = thresholds(pf, half, byPath);
            List<Path> kept = new ArrayList<>();
            List<String> keptPeople = new ArrayList<>();
            for (int i = 0; i < faces.size(); i++) {
                if (!half.people().contains(people.get(i))) {
                    kept.add(faces.get(i));
                    keptPeople.add(people.get(i));
                }
            }
            if (kept.size() < 2) {
                throw new IllegalArgumentException("after leaving out the people of folds " + half.name() + " of " + pairsTxt
                        + " only " + kept.size() + " face(s) are left to group; the folder needs people the pairs do not show");
            }
            GroupCommand.Embedded sub = GroupCommand.embedded(kept, variants);
            int[] truth = GroupingScores.labels(keptPeople);
            List<GroupMethod.Run> heldOut = new ArrayList<>();
            List<GroupMethod.Run> defaults = new ArrayList<>();
            for (GroupMethod m : methods) {
                heldOut.add(runner.run(m, sub, t, truth));
                defaults.add(runner.run(m, sub, GroupCommand.Thresholds.DEFAULTS, truth));
            }
            outcomes.add(new Outcome(half, t, kept.size(), new TreeSet<>(keptPeople).size(), heldOut, defaults));
        }
        return new GroupCrossCheck(pairsTxt, outcomes);
    }

    /**
     * The first ⌈F/2⌉ folds and the rest, each with the people its pairs show. Each half needs two folds for the
     * protocol, so the file needs four or more.
     */
    static List<Half> halves(PairsFile pf) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (Pair p : pf.pairs()) {
            ids.add(p.fold());
        }
        if (ids.size() < 4) {
            throw new IllegalArgumentException("--cross-check needs a pairs file of 4 or more folds (each half picks its thresholds"
                    + " by cross-validation over its own folds); it has " + ids.size());
        }
        List<Integer> all = new ArrayList<>(ids);
        int cut = (all.size() + 1) / 2;
        List<Half> out = new ArrayList<>();
        for (List<Integer> folds : List.of(all.subList(0, cut), all.subList(cut, all.size()))) {
            Set<String> people = new LinkedHashSet<>();
            for (Pair p : pf.pairs()) {
                if (folds.contains(p.fold())) {
                    people.add(person(p.a()));
                    people.add(person(p.b()));
                }
            }
            // Fold ids count from 0; the name counts from 1, as the file's folds are read.
            out.add(new Half((folds.get(0) + 1) + "-" + (folds.get(folds.size() - 1) + 1), List.copyOf(folds), people));
        }
        return out;
    }

    /** Each threshold by the defaults' rule, on the half's pairs only: the protocol's mean per-fold threshold. */
    static GroupCommand.Thresholds thresholds(PairsFile pf, Half half, Map<Path, FaceVariants> byPath) {
        return new GroupCommand.Thresholds(threshold(pf, half, byPath, FaceModel.MOBILEFACENET),
                threshold(pf, half, byPath, FaceModel.DLIB), threshold(pf, half, byPath, FaceModel.ENSEMBLE));
    }

    private static double threshold(PairsFile pf, Half half, Map<Path, FaceVariants> byPath, FaceModel model) {
        List<Pair> pairs = pf.pairs().stream().filter(p -> half.folds().contains(p.fold())).toList();
        double[] d = new double[pairs.size()];
        boolean[] same = new boolean[pairs.size()];
        int[] folds = new int[pairs.size()];
        for (int i = 0; i < d.length; i++) {
            Pair p = pairs.get(i);
            FaceVariants a = byPath.get(key(p.a()));
            FaceVariants b = byPath.get(key(p.b()));
            // An image that could not be read counts as the farthest pair, as evaluate counts it.
            d[i] = a == null || b == null ? 4.0 : embedding(a, model).squaredDistance(embedding(b, model));
            same[i] = p.same();
            folds[i] = p.fold();
        }
        return VerificationProtocol.exact().evaluate(d, same, folds).thresholdMean();
    }

    private static Embedding embedding(FaceVariants v, FaceModel model) {
        return v.select(model, true, EnsembleWeights.BALANCED);
    }

    private static Path key(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private static String person(Path image) {
        return image.getParent().getFileName().toString();
    }

    ObjectNode toJson() {
        ObjectNode top = Json.object();
        top.put("pairs", pairsFile.toString());
        top.put("rule", "thresholds picked by the verification protocol (mean per-fold threshold) on one half's pairs;"
                + " the faces of the people those pairs do not show are grouped");
        ArrayNode halves = top.putArray("halves");
        for (Outcome o : outcomes) {
            ObjectNode h = halves.addObject();
            h.put("thresholdFolds", o.half().name());
            h.put("thresholdPeople", o.half().people().size());
            h.put("faces", o.faces());
            h.put("people", o.people());
            ObjectNode t = h.putObject("thresholds");
            t.put("mobilefacenet", o.thresholds().mobileFaceNet());
            t.put("dlib", o.thresholds().dlib());
            t.put("ensemble", o.thresholds().ensemble());
            ArrayNode runs = h.putArray("methods");
            for (int i = 0; i < o.heldOut().size(); i++) {
                ObjectNode m = runs.addObject();
                m.put("method", o.heldOut().get(i).method().cliName());
                putRun(m.putObject("heldOutThresholds"), o.heldOut().get(i));
                putRun(m.putObject("defaultThresholds"), o.defaults().get(i));
            }
        }
        return top;
    }

    private static void putRun(ObjectNode n, GroupMethod.Run run) {
        n.put("groups", run.groups().count());
        n.put("seconds", GroupCommand.round(run.seconds()));
        GroupReport.putScores(n.putObject("scores"), run.scores());
    }

    void print(PrintStream o) {
        o.println();
        o.printf(Locale.ROOT, "cross-check (%s): thresholds picked on one half of the folds, the faces of everyone else grouped%n", pairsFile);
        for (Outcome c : outcomes) {
            GroupCommand.Thresholds t = c.thresholds();
            o.printf(Locale.ROOT, "thresholds from folds %s (%d people): mobilefacenet %.3f, dlib %.3f, ensemble %.3f;"
                            + " grouped %d faces of %d people%n", c.half().name(), c.half().people().size(),
                    t.mobileFaceNet(), t.dlib(), t.ensemble(), c.faces(), c.people());
            o.printf(Locale.ROOT, "  %-10s %-9s %7s | %-21s | %-21s%n", "method", "threshold", "groups", "pairwise P / R / F", "BCubed P / R / F");
            for (int i = 0; i < c.heldOut().size(); i++) {
                row(o, c.heldOut().get(i), "held out");
                row(o, c.defaults().get(i), "default");
            }
        }
    }

    private static void row(PrintStream o, GroupMethod.Run run, String which) {
        GroupingScores s = run.scores();
        o.printf(Locale.ROOT, "  %-10s %-9s %7d | %.3f / %.3f / %.3f | %.3f / %.3f / %.3f%n", run.method().cliName(), which,
                run.groups().count(), s.pairwisePrecision(), s.pairwiseRecall(), s.pairwiseF(),
                s.bcubedPrecision(), s.bcubedRecall(), s.bcubedF());
    }
}
