package io.facestream.train.general;

import io.facestream.core.BoundingBox;
import io.facestream.recognize.eval.PairsFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes the general set in LFW's layout: {@code DIR/<label>/<label>_NNNN.jpg} as faces arrive, then
 * {@code DIR/pairs.txt}, {@code DIR/people.txt} ({@code Name<TAB>count}) and {@code DIR/faces.tsv} (where
 * each image came from: clip, frame, time, box). JPEG at quality {@value #QUALITY}, since pairs files name
 * {@code .jpg} images.
 */
public final class GeneralSetWriter {

    /** JPEG quality of the written faces: high, so the set measures the model and not the encoder. */
    static final float QUALITY = 0.95f;

    private final Path dir;
    private final List<TrackedFace> faces = new ArrayList<>();
    private final List<String> manifest = new ArrayList<>();

    /** A writer into {@code dir}, which must not hold an earlier set. */
    public GeneralSetWriter(Path dir) throws IOException {
        if (Files.exists(dir.resolve("pairs.txt")) || Files.exists(dir.resolve("faces.tsv"))) {
            throw new IOException(dir + " already holds a general set; remove it or choose another --out");
        }
        Files.createDirectories(dir);
        this.dir = dir;
        manifest.add("label\tnumber\tclip\tframe\tseconds\tx1\ty1\tx2\ty2\tscore");
    }

    /** Writes one face's image. */
    public void add(VideoTracks.Found found) throws IOException {
        TrackedFace f = found.face();
        Path file = PairsFile.imagePath(dir, f.label(), f.number());
        Files.createDirectories(file.getParent());
        writeJpeg(found.image(), file);
        faces.add(f);
        BoundingBox b = found.detection().box();
        manifest.add(String.format(Locale.ROOT, "%s\t%d\t%s\t%d\t%.3f\t%.1f\t%.1f\t%.1f\t%.1f\t%.3f", f.label(), f.number(),
                f.clip(), f.frame(), f.seconds(), b.x1(), b.y1(), b.x2(), b.y2(), found.detection().score()));
    }

    /** The faces written so far. */
    public List<TrackedFace> faces() {
        return List.copyOf(faces);
    }

    /** Makes the pairs over the written faces and writes them with the people list and the manifest. */
    public GeneralPairs.Result finish(GeneralPairs maker) throws IOException {
        GeneralPairs.Result r = maker.make(faces);
        // Read back before writing: what evaluate and train will read is what was meant.
        PairsFile.parse(r.lines(), "pairs.txt", dir).requireImages();
        Files.write(dir.resolve("pairs.txt"), r.lines(), StandardCharsets.UTF_8);
        List<String> people = new ArrayList<>();
        for (Map.Entry<String, Integer> e : GeneralPairs.counts(faces).entrySet()) {
            people.add(e.getKey() + "\t" + e.getValue());
        }
        Files.write(dir.resolve("people.txt"), people, StandardCharsets.UTF_8);
        Files.write(dir.resolve("faces.tsv"), manifest, StandardCharsets.UTF_8);
        return r;
    }

    static void writeJpeg(BufferedImage image, Path file) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IOException("this Java runtime has no JPEG writer");
        }
        ImageWriter w = writers.next();
        try (OutputStream os = Files.newOutputStream(file); ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(QUALITY);
            w.write(null, new IIOImage(image, null, null), p);
        } finally {
            w.dispose();
        }
    }
}
