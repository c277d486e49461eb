package io.facestream.app;

import io.facestream.recognize.eval.PairsFile;
import io.facestream.recognize.eval.PairsMaker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Draws an LFW-format pairs file over a list of people, for {@code evaluate} on a set without one. */
@Command(name = "pairs", mixinStandardHelpOptions = true,
        description = {"Draw verification pairs in LFW's pairs.txt format over the people of a list.",
            "Same-person pairs are shared evenly among the people, different-person pairs among the pairs",
            "of people, images drawn least-used first; no pair twice; the same seed gives the same file."})
final class PairsCommand implements Callable<Integer> {

    @Option(names = "--images", paramLabel = "DIR", required = true,
            description = "Folder with one sub-folder per person, images named <Name>_NNNN.jpg from 0001.")
    Path images;

    @Option(names = "--people", paramLabel = "FILE", required = true,
            description = "The people to draw from: one 'Name<TAB>image count' line each.")
    Path people;

    @Option(names = "--folds", paramLabel = "N", defaultValue = "10", description = "Folds (default: ${DEFAULT-VALUE}, as LFW).")
    int folds;

    @Option(names = "--per-fold", paramLabel = "N", defaultValue = "300",
            description = "Same-person pairs per fold, and as many different-person pairs (default: ${DEFAULT-VALUE}, as LFW).")
    int perFold;

    @Option(names = "--seed", paramLabel = "N", required = true, description = "Seed of the draw; the file is a function of it.")
    long seed;

    @Option(names = "--out", paramLabel = "PAIRS.txt", required = true, description = "The pairs file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(images)) {
            throw new IllegalArgumentException("--images " + images + " is not a folder; give the folder that holds one sub-folder per person");
        }
        List<PairsMaker.Person> list = PairsMaker.readPeople(people);
        List<Path> missing = PairsMaker.missingImages(images, list);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d images the people list %s counts are not under %s, e.g. %s; fix the counts or point --images at the right folder",
                    missing.size(), people, images, missing.get(0)));
        }
        List<String> lines = new PairsMaker(folds, perFold, seed).make(list);
        // Read back before writing: what evaluate will read is what was meant.
        PairsFile check = PairsFile.parse(lines, out.getFileName().toString(), images);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(out, lines, StandardCharsets.UTF_8);
        int totalImages = list.stream().mapToInt(PairsMaker.Person::images).sum();
        System.out.printf(Locale.ROOT, "%d pairs (%d folds x %d same + %d different) over %d people, %d of their %d images, seed %d, written to %s%n",
                check.pairs().size(), folds, perFold, perFold, list.size(), check.images().size(), totalImages, seed, out);
        return 0;
    }
}
