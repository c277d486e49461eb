package io.facestream.app;

import io.facestream.core.DetectedFace;
import io.facestream.recognize.engine.FaceChoice;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.job.EnrolledFace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Enrols a folder with one sub-folder of photos per person (folder name = identity) into a static gallery. */
final class GalleryFolder {

    private GalleryFolder() {
    }

    /**
     * The largest face of every photo, embedded with {@code model}; photos without a face or that cannot be read
     * are reported on {@code notes} and skipped, since one bad photo should not stop the rest.
     */
    static List<EnrolledFace> enrol(Path dir, FaceEngine engine, FaceModel model, PrintStream notes) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--gallery " + dir + " is not a folder; give a folder with one "
                    + "sub-folder of photos per person");
        }
        List<EnrolledFace> faces = new ArrayList<>();
        for (Path person : Folders.list(dir, true)) {
            String identity = person.getFileName().toString();
            for (Path photo : Folders.list(person, false)) {
                RgbImage image;
                try {
                    image = ImageInputs.read(photo);
                } catch (IOException e) {
                    notes.println("gallery photo " + photo + " could not be read (" + e.getMessage() + "), skipped");
                    continue;
                }
                List<DetectedFace> detected = engine.detect(image);
                DetectedFace largest = FaceChoice.largest(detected);
                if (largest == null) {
                    notes.println("gallery photo " + photo + " has no face the detector could find, skipped; "
                            + "use a photo where " + identity + "'s face is at least 20 px wide");
                    continue;
                }
                float[] embedding = engine.embed(image, List.of(largest), model, false).get(0).values();
                faces.add(new EnrolledFace(identity, embedding));
            }
        }
        if (faces.isEmpty()) {
            throw new IllegalArgumentException("no face could be enrolled from " + dir + "; put each person's photos "
                    + "in a sub-folder named after them");
        }
        return faces;
    }
}
