package io.facestream.train.data;

import io.facestream.core.DetectedFace;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.engine.FaceChoice;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Detects and aligns the face of each image once, as {@code evaluate} does: the central face of a
 * portrait; when none is found, the detector again on the image with a border, then on it equalised
 * ({@code FaceChoice.portrait}); when still none, the documented fallback box (so training sees the same crops
 * evaluation will).
 */
public final class FaceCropper {

    /** Images per detector call. */
    private static final int CHUNK = 8;

    /** The crops, the images that needed the fallback box, and those that could not be read. */
    public record Result(Map<Path, FaceCrop> crops, List<Path> noFace, Map<Path, String> failed, double seconds) {
    }

    private final FaceEngine engine;
    private final FaceModel model;

    /** Crops for {@code model}'s network (its alignment template and size). */
    public FaceCropper(FaceEngine engine, FaceModel model) {
        this.engine = engine;
        this.model = model.base();
    }

    /** Aligned crops of {@code images}; {@code progress} receives the number of images done. */
    public Result crop(List<Path> images, IntConsumer progress) {
        long start = System.nanoTime();
        Map<Path, FaceCrop> crops = new LinkedHashMap<>();
        List<Path> noFace = new ArrayList<>();
        Map<Path, String> failed = new LinkedHashMap<>();
        for (int from = 0; from < images.size(); from += CHUNK) {
            List<Path> chunk = images.subList(from, Math.min(images.size(), from + CHUNK));
            List<Path> paths = new ArrayList<>();
            List<RgbImage> decoded = new ArrayList<>();
            for (Path p : chunk) {
                try {
                    decoded.add(RgbImage.read(p));
                    paths.add(p);
                } catch (IOException e) {
                    failed.put(p, e.getMessage());
                }
            }
            List<List<DetectedFace>> found = engine.detect(decoded);
            for (int i = 0; i < decoded.size(); i++) {
                FaceChoice.Portrait p = FaceChoice.portrait(engine, decoded.get(i), found.get(i));
                if (p.fallback()) {
                    noFace.add(paths.get(i));
                }
                crops.put(paths.get(i), engine.crop(decoded.get(i), p.face(), model));
            }
            progress.accept(chunk.size());
        }
        return new Result(crops, noFace, failed, (System.nanoTime() - start) / 1e9);
    }
}
