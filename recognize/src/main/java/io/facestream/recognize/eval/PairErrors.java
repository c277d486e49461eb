package io.facestream.recognize.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pairs the protocol decides wrongly, each judged as the protocol judges it: by the threshold its fold was given
 * (the one that maximised accuracy on the other folds), "same" strictly below it. Looking at them is how one finds
 * where a pipeline fails: a wrong face chosen in a group photo, a label error in the set, a face the network cannot
 * tell apart.
 */
public final class PairErrors {

    /** One wrongly decided pair. */
    public record PairError(Pair pair, double distance, double threshold) {

        /** "false-reject" for a same-person pair called different, "false-accept" for the other way round. */
        public String kind() {
            return pair.same() ? "false-reject" : "false-accept";
        }
    }

    private PairErrors() {
    }

    /** The wrongly decided pairs of a run, in the pairs file's order. */
    public static List<PairError> of(PairsFile pairs, double[] distances, VerificationReport report) {
        List<Pair> list = pairs.pairs();
        if (distances.length != list.size()) {
            throw new IllegalArgumentException(distances.length + " distances for " + list.size() + " pairs");
        }
        Map<Integer, Double> threshold = new HashMap<>();
        for (FoldResult f : report.folds()) {
            threshold.put(f.fold(), f.threshold());
        }
        List<PairError> out = new ArrayList<>();
        for (int i = 0; i < distances.length; i++) {
            Pair p = list.get(i);
            Double t = threshold.get(p.fold());
            if (t == null) {
                throw new IllegalArgumentException("the report has no fold " + p.fold() + "; evaluate these pairs first");
            }
            if ((distances[i] < t) != p.same()) {
                out.add(new PairError(p, distances[i], t));
            }
        }
        return out;
    }

    /**
     * Appends the errors to a tab-separated file (the header first when the file is new): configuration, kind, fold,
     * both images relative to {@code root}, distance, threshold, and which images needed the fallback crop.
     */
    public static void append(Path file, Path root, String configuration, List<PairError> errors,
            Collection<Path> noFace) throws IOException {
        StringBuilder out = new StringBuilder();
        if (!Files.exists(file)) {
            out.append("configuration\tkind\tfold\timage_a\timage_b\tdistance\tthreshold\tfallback_crop\n");
        }
        for (PairError e : errors) {
            Pair p = e.pair();
            String fallback = (noFace.contains(p.a()) ? "a" : "") + (noFace.contains(p.b()) ? "b" : "");
            out.append(String.format(Locale.ROOT, "%s\t%s\t%d\t%s\t%s\t%.4f\t%.4f\t%s%n", configuration, e.kind(), p.fold(),
                    root.relativize(p.a()), root.relativize(p.b()), e.distance(), e.threshold(),
                    fallback.isEmpty() ? "-" : fallback));
        }
        Files.writeString(file, out, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }
}
