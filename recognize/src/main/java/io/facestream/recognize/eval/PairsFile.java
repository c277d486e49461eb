package io.facestream.recognize.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * LFW's {@code pairs.txt}: a header {@code folds pairsPerClass} (or a single pair count, meaning one
 * fold), then per fold {@code pairsPerClass} same-person lines {@code Name n1 n2} and as many
 * different-person lines {@code Name1 n1 Name2 n2}, fields separated by tabs or spaces.
 */
public final class PairsFile {

    private final Path imageDir;
    private final int folds;
    private final int pairsPerClass;
    private final List<Pair> pairs;
    private final List<Path> images;

    private PairsFile(Path imageDir, int folds, int pairsPerClass, List<Pair> pairs) {
        this.imageDir = imageDir;
        this.folds = folds;
        this.pairsPerClass = pairsPerClass;
        this.pairs = Collections.unmodifiableList(pairs);
        Set<Path> distinct = new LinkedHashSet<>();
        for (Pair p : pairs) {
            distinct.add(p.a());
            distinct.add(p.b());
        }
        this.images = List.copyOf(distinct);
    }

    /**
     * Reads a pairs file; image paths resolve to {@code imageDir/<Name>/<Name>_%04d.jpg}.
     *
     * @throws IllegalArgumentException with a sentence naming the file and line when the format is wrong
     */
    public static PairsFile read(Path pairsTxt, Path imageDir) throws IOException {
        if (!Files.isRegularFile(pairsTxt)) {
            throw new IOException("pairs file " + pairsTxt + " does not exist or is not a file;"
                    + " pass LFW's pairs.txt (it sits at lfw/pairs.txt in the LFW archives)");
        }
        List<String> lines = TextLines.read(pairsTxt, "pairs file",
                "LFW's pairs.txt format: a header such as '10 300', then 'Name n1 n2' and 'Name1 n1 Name2 n2' lines");
        return parse(lines, pairsTxt.getFileName().toString(), imageDir);
    }

    /** Parses the lines of a pairs file; {@code source} names it in error messages. */
    public static PairsFile parse(List<String> lines, String source, Path imageDir) {
        int first = nextContentLine(lines, 0);
        if (first < 0) {
            throw new IllegalArgumentException(source + " is empty; expected a header such as '10 300' and then the pairs");
        }
        String[] header = fields(lines.get(first));
        int folds;
        int perClass;
        if (header.length == 1) {
            // pairsDevTrain.txt / pairsDevTest.txt: one fold, a single count.
            folds = 1;
            perClass = positive(header[0], source, first, "pair count");
        } else if (header.length == 2) {
            folds = positive(header[0], source, first, "fold count");
            perClass = positive(header[1], source, first, "pairs-per-fold count");
        } else {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s line %d: expected a header 'folds pairs-per-fold' (e.g. '10 300') or a single pair count,"
                            + " got %d fields '%s'", source, first + 1, header.length, lines.get(first).strip()));
        }
        Path dir = imageDir == null ? Path.of("") : imageDir;
        List<Pair> pairs = new ArrayList<>(folds * perClass * 2);
        int[] firstLineOfFold = new int[folds];
        int[] sameInFold = new int[folds];
        int expected = folds * perClass * 2;
        for (int i = nextContentLine(lines, first + 1); i >= 0; i = nextContentLine(lines, i + 1)) {
            String[] f = fields(lines.get(i));
            if (pairs.size() == expected) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s line %d: more pairs than the header promises (%d folds x %d same + %d different = %d);"
                                + " fix the header or remove the extra lines", source, i + 1, folds, perClass, perClass, expected));
            }
            int fold = pairs.size() / (2 * perClass);
            if (pairs.size() % (2 * perClass) == 0) {
                firstLineOfFold[fold] = i + 1;
            }
            Pair pair;
            if (f.length == 3) {
                pair = new Pair(image(dir, f[0], f[1], source, i), image(dir, f[0], f[2], source, i), true, fold);
                sameInFold[fold]++;
            } else if (f.length == 4) {
                pair = new Pair(image(dir, f[0], f[1], source, i), image(dir, f[2], f[3], source, i), false, fold);
            } else {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s line %d: expected 3 or 4 fields, got %d ('%s'); same-person lines are 'Name n1 n2',"
                                + " different-person lines 'Name1 n1 Name2 n2'", source, i + 1, f.length, lines.get(i).strip()));
            }
            pairs.add(pair);
        }
        if (pairs.size() != expected) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s has %d pairs but its header promises %d (%d folds x %d same + %d different);"
                            + " the file is truncated or the header is wrong", source, pairs.size(), expected, folds, perClass, perClass));
        }
        for (int k = 0; k < folds; k++) {
            // facenet's folds are contiguous chunks of the file, so a fold that is not balanced means a shifted file.
            if (sameInFold[k] != perClass) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s fold %d (from line %d) has %d same-person and %d different-person pairs;"
                                + " the header promises %d of each", source, k + 1, firstLineOfFold[k], sameInFold[k],
                        2 * perClass - sameInFold[k], perClass));
            }
        }
        return new PairsFile(dir, folds, perClass, pairs);
    }

    /** The path LFW gives image {@code number} of {@code name}: {@code dir/name/name_0001.jpg}. */
    public static Path imagePath(Path dir, String name, int number) {
        return dir.resolve(name).resolve(String.format(Locale.ROOT, "%s_%04d.jpg", name, number));
    }

    /** The folder the image paths were resolved against. */
    public Path imageDir() {
        return imageDir;
    }

    /** Number of cross-validation folds (10 for LFW's pairs.txt). */
    public int folds() {
        return folds;
    }

    /** Same-person pairs per fold, equal to the different-person pairs per fold (300 for LFW). */
    public int pairsPerClass() {
        return pairsPerClass;
    }

    /** All pairs in file order; fold {@code k} is the contiguous block {@code k * 2 * pairsPerClass ...}. */
    public List<Pair> pairs() {
        return pairs;
    }

    /** The distinct images the pairs refer to, in order of first appearance. */
    public List<Path> images() {
        return images;
    }

    /** Whether each pair shows the same person, in pair order. */
    public boolean[] labels() {
        boolean[] same = new boolean[pairs.size()];
        for (int i = 0; i < same.length; i++) {
            same[i] = pairs.get(i).same();
        }
        return same;
    }

    /** The fold of each pair, in pair order. */
    public int[] foldIds() {
        int[] f = new int[pairs.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = pairs.get(i).fold();
        }
        return f;
    }

    /** The images that are not regular files on disk, in order of first appearance; empty when all exist. */
    public List<Path> missingImages() {
        List<Path> missing = new ArrayList<>();
        for (Path p : images) {
            if (!Files.isRegularFile(p)) {
                missing.add(p);
            }
        }
        return missing;
    }

    /**
     * Throws when images are missing, with a sentence naming how many and the first few, so that a
     * wrong {@code --images} folder is reported before minutes of work rather than as a skewed score.
     */
    public void requireImages() throws IOException {
        List<Path> missing = missingImages();
        if (missing.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(missing.size()).append(" of ").append(images.size()).append(" images named by the pairs file are missing under ")
                .append(imageDir.toAbsolutePath()).append(", e.g. ");
        for (int i = 0; i < Math.min(3, missing.size()); i++) {
            sb.append(i > 0 ? ", " : "").append(missing.get(i));
        }
        sb.append("; point --images at the folder holding one sub-folder per person (such as lfw/Abel_Pacheco/)");
        throw new IOException(sb.toString());
    }

    private static Path image(Path dir, String name, String number, String source, int line) {
        return imagePath(dir, name, positive(number, source, line, "image number of " + name));
    }

    private static int positive(String text, String source, int line, String what) {
        try {
            int v = Integer.parseInt(text);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the line
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "%s line %d: %s '%s' is not a positive integer", source, line + 1, what, text));
    }

    private static String[] fields(String line) {
        // A byte-order mark from an editor would otherwise glue itself to the header's first number.
        return line.replace("\uFEFF", "").strip().split("\\s+");
    }

    private static int nextContentLine(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                return i;
            }
        }
        return -1;
    }
}
