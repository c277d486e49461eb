package io.facestream.train.gate;

import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.eval.PairsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pairs set with the aligned crop of each of its images, made once so that every evaluation of a
 * candidate costs only the embedding.
 *
 * @param name how reports call it
 */
public record ValidationSet(String name, PairsFile pairs, Map<Path, FaceCrop> crops) {

    public ValidationSet {
        crops = Map.copyOf(crops);
        List<Path> missing = new ArrayList<>();
        for (Path p : pairs.images()) {
            if (!crops.containsKey(p)) {
                missing.add(p);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("validation set " + name + " has no crop for " + missing.size()
                    + " of its images, e.g. " + missing.get(0));
        }
    }

    /** The crops of {@link #images()}, in that order. */
    public List<FaceCrop> cropsInOrder() {
        List<FaceCrop> out = new ArrayList<>();
        for (Path p : images()) {
            out.add(crops.get(p));
        }
        return out;
    }

    /** The distinct images, in the pairs file's order. */
    public List<Path> images() {
        return pairs.images();
    }
}
