package io.facestream.recognize.track;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.image.RgbImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Full detection on key frames, following in between: on most frames a camera's faces are looked for only
 * near the boxes found in the last frame this subtask saw of that camera, which skips the detector's pyramid
 * (most of a detection's time). A full detection runs
 * <ul>
 * <li>on every frame whose sequence number is a multiple of {@code every} (so a new face is found at most
 * {@code every − 1} frames after it appears),</li>
 * <li>on the first frame of a camera, after a gap of {@code every} frames or more, and on a frame older than the
 * last one seen (a replay after a restore),</li>
 * <li>on a cut: when the picture as a whole changed (the mean luma of a {@value #GRID_COLUMNS}×{@value #GRID_ROWS}
 * grid of cells moved by more than {@value #CUT_CHANGE} of 255 on average since the last frame seen, a tenth of the
 * range; motion within a scene stays far below it),</li>
 * </ul>
 * Whenever following finds fewer faces than there were, the picture around each box it lost is searched at once
 * ({@link Detector#searchNear}: MTCNN's pyramid over a window three box sides wide, for faces half to twice the box's
 * size), so that a face that moved away from its box is found again in the same frame without a full detection. A
 * face that left is not found there; if it comes back elsewhere, the next key frame (or part) finds it.
 * A face that comes into view between key frames without a cut is found on the next key frame.
 * With {@code every == 1} every frame gets a full detection. The state is a cache of one subtask: it is not
 * checkpointed, and a restored job starts each camera with a full detection.
 *
 * <p>{@link Schedule#SPREAD} does the key frames' search in parts: instead of the whole pyramid on every
 * {@code every}th frame, each frame searches one part of its scales (part {@code sequence mod every}, each part about
 * a {@code every}th of the pyramid's work) beside following the known faces, so that a new face is found as soon as
 * with key frames but no frame carries the whole pyramid (on 2 cores, a key frame's burst queues the frames behind
 * it). The first frame, a gap, a frame older than the last and a cut still get a full detection.
 *
 * <p>With an unsure threshold (above 0; a camera in harsh or low light), a face that every search of the frame lost is
 * looked for once more near its last box with all three stages' thresholds at that figure ({@link
 * Detector#redetectUnsure}): a face darkening or turning into shadow keeps its track, as ByteTrack keeps tracks
 * with low-confidence detections. Only a known face's place is searched so (no track starts from an unsure face),
 * in a frame that continues the last one, and for at most {@value #HOLD_FRAMES} frames since the face was last found
 * at the detector's own confidence.
 *
 * <p>With a lost-face limit (above 0), a face that no search of a frame found, in a frame that continues the last one,
 * is given back in {@link Result#lost()} at its last box and landmarks, in this frame and each next one, until a face
 * is found at that place again, a cut, or {@code lost} frames: the picture there is the face the detector missed, for
 * as long as the face stays where it was ({@code HardExampleOptions#lostFrames()}).
 */
public final class KeyframeDetector {

    /** What detects: the full pipeline, and the pipeline without its pyramid near known boxes. */
    public interface Detector {
        List<DetectedFace> detect(RgbImage image);

        List<DetectedFace> redetect(RgbImage image, List<BoundingBox> near);

        /**
         * Faces near {@code near} and anywhere at the scales of part {@code part} of {@code parts} of the pyramid; a
         * detector without parts searches everything.
         */
        default List<DetectedFace> detectPart(RgbImage image, List<BoundingBox> near, int part, int parts) {
            return detect(image);
        }

        /**
         * Faces around {@code lost}, boxes of the last frame where following found no face; a detector that cannot
         * look in a region searches everything.
         */
        default List<DetectedFace> searchNear(RgbImage image, List<BoundingBox> lost) {
            return detect(image);
        }

        /**
         * Faces near {@code near} found with all three stages' thresholds at {@code threshold}, below the detector's
         * own; a detector that cannot lower them finds none.
         */
        default List<DetectedFace> redetectUnsure(RgbImage image, List<BoundingBox> near, double threshold) {
            return List.of();
        }
    }

    /** When the whole picture is searched for new faces. */
    public enum Schedule {
        /** The whole pyramid on every {@code every}th frame. */
        KEY_FRAMES,
        /** One {@code every}th of the pyramid on every frame. */
        SPREAD
    }

    /** The kind of detection a frame got, for counters and tests. */
    public enum Kind { FULL, FOLLOWED }

    /**
     * Faces of a frame and how they were found.
     *
     * @param continues whether the frame follows the last one seen of its camera within one scene: no cut, not older
     *     than it; faces at the same place are then taken for the same faces ({@link EmbeddingReuse})
     * @param lost faces of earlier frames that this frame's searches did not find, at their last box and landmarks
     *     (only with a lost-face limit; not faces of this frame)
     */
    public record Result(List<DetectedFace> faces, Kind kind, boolean continues, List<DetectedFace> lost) {

        public Result {
            faces = List.copyOf(faces);
            lost = List.copyOf(lost);
        }

        /** A frame's faces, with no lost ones. */
        public Result(List<DetectedFace> faces, Kind kind, boolean continues) {
            this(faces, kind, continues, List.of());
        }
    }

    /** Columns and rows of the grid whose cell means tell a cut. */
    static final int GRID_COLUMNS = 16;
    static final int GRID_ROWS = 9;
    /** Mean change of the cells' luma (0..255) above which a frame is a cut. */
    static final double CUT_CHANGE = 25.5;
    /** Rows and columns between the pixels the grid is measured on. */
    private static final int SAMPLE_STEP = 4;

    /**
     * The boxes of the last frame, each with the frames since its face was found at the detector's own confidence (0:
     * in that frame).
     */
    private record Recent(long sequence, List<DetectedFace> faces, List<BoundingBox> boxes, int[] unsureFor,
            float[] grid, List<Lost> lost) {

        /** The frame's faces, their boxes taken from them. */
        Recent(long sequence, List<DetectedFace> faces, int[] unsureFor, float[] grid, List<Lost> lost) {
            this(sequence, faces, faces.stream().map(DetectedFace::box).toList(), unsureFor, grid, lost);
        }
    }

    /** A face lost since {@code frames} frames, at its last box and landmarks. */
    private record Lost(DetectedFace face, int frames) {
    }

    /** Most frames in a row a face is kept by unsure detections alone: a second of video at 25 frames a second. */
    public static final int HOLD_FRAMES = 25;

    private final Detector detector;
    private final int every;
    private final Schedule schedule;
    private final double unsure;
    private final int lostLimit;
    private final Map<String, Recent> cameras = new HashMap<>();

    /** Detection with {@code engine}'s detector, fully on every {@code every}th frame. */
    public static KeyframeDetector of(FaceEngine engine, int every) {
        return of(engine, every, Schedule.KEY_FRAMES);
    }

    /** Detection with {@code engine}'s detector, the whole picture searched once every {@code every} frames. */
    public static KeyframeDetector of(FaceEngine engine, int every, Schedule schedule) {
        return of(engine, every, schedule, 0);
    }

    /** As {@link #of(FaceEngine, int, Schedule)}, lost faces looked for again at {@code unsure} (0: not). */
    public static KeyframeDetector of(FaceEngine engine, int every, Schedule schedule, double unsure) {
        return of(engine, every, schedule, unsure, 0);
    }

    /**
     * As {@link #of(FaceEngine, int, Schedule, double)}, faces no search found given back at their last place for up
     * to {@code lost} frames (0: not).
     */
    public static KeyframeDetector of(FaceEngine engine, int every, Schedule schedule, double unsure, int lost) {
        return new KeyframeDetector(new Detector() {
            @Override
            public List<DetectedFace> detect(RgbImage image) {
                return engine.detect(image);
            }

            @Override
            public List<DetectedFace> redetect(RgbImage image, List<BoundingBox> near) {
                return engine.redetect(image, near);
            }

            @Override
            public List<DetectedFace> detectPart(RgbImage image, List<BoundingBox> near, int part, int parts) {
                return engine.detectPart(image, near, part, parts);
            }

            @Override
            public List<DetectedFace> searchNear(RgbImage image, List<BoundingBox> lost) {
                return engine.searchNear(image, lost);
            }

            @Override
            public List<DetectedFace> redetectUnsure(RgbImage image, List<BoundingBox> near, double threshold) {
                return engine.redetect(image, near, threshold);
            }
        }, every, schedule, unsure, lost);
    }

    /** Key frames every {@code every} frames. */
    public KeyframeDetector(Detector detector, int every) {
        this(detector, every, Schedule.KEY_FRAMES);
    }

    public KeyframeDetector(Detector detector, int every, Schedule schedule) {
        this(detector, every, schedule, 0);
    }

    /** As {@link #KeyframeDetector(Detector, int, Schedule)}, lost faces looked for again at {@code unsure} (0: not). */
    public KeyframeDetector(Detector detector, int every, Schedule schedule, double unsure) {
        this(detector, every, schedule, unsure, 0);
    }

    /**
     * As {@link #KeyframeDetector(Detector, int, Schedule, double)}, faces no search found given back in {@link
     * Result#lost()} for up to {@code lost} frames (0: not).
     */
    public KeyframeDetector(Detector detector, int every, Schedule schedule, double unsure, int lost) {
        if (lost < 0) {
            throw new IllegalArgumentException("a lost face is given back for 0 or more frames, was " + lost);
        }
        if (!(unsure >= 0 && unsure < 1)) {
            throw new IllegalArgumentException("an unsure threshold must be in [0, 1) (0: none), was " + unsure);
        }
        if (every < 1) {
            throw new IllegalArgumentException("a full detection every " + every + " frames is not a schedule; use 1 or more");
        }
        if (schedule == null) {
            throw new IllegalArgumentException("the key-frame schedule is null; use KEY_FRAMES or SPREAD");
        }
        this.detector = detector;
        this.every = every;
        this.schedule = schedule;
        this.unsure = unsure;
        this.lostLimit = lost;
    }

    /** The faces of frame {@code sequence} of {@code camera}. */
    public Result detect(String camera, long sequence, RgbImage image) {
        Recent recent = cameras.get(camera);
        float[] grid = grid(image);
        int part = (int) Math.floorMod(sequence, (long) every);
        boolean continues = recent != null && sequence > recent.sequence() && change(recent.grid(), grid) <= CUT_CHANGE;
        boolean key = every == 1 || !continues || (schedule == Schedule.KEY_FRAMES && part == 0)
                || sequence - recent.sequence() >= every;
        List<DetectedFace> faces;
        Kind kind = Kind.FULL;
        if (key) {
            faces = detector.detect(image);
        } else {
            faces = schedule == Schedule.SPREAD ? detector.detectPart(image, recent.boxes(), part, every)
                    : detector.redetect(image, recent.boxes());
            kind = Kind.FOLLOWED;
            if (faces.size() < recent.boxes().size()) {
                faces = withFoundAgain(faces, detector.searchNear(image, lost(recent.boxes(), faces)));
            }
        }
        int[] unsureFor = new int[faces.size()];
        List<Integer> lostHere = unsure > 0 && continues ? heldIndices(recent, faces) : List.of();
        if (!lostHere.isEmpty()) {
            List<BoundingBox> near = lostHere.stream().map(recent.boxes()::get).toList();
            Held held = held(recent, faces, lostHere, near, detector.redetectUnsure(image, near, unsure));
            faces = held.faces();
            unsureFor = held.unsureFor();
        }
        List<Lost> lost = lostLimit > 0 && continues ? stillLost(recent, faces, lostLimit) : List.of();
        cameras.put(camera, new Recent(sequence, faces, unsureFor, grid, lost));
        return new Result(faces, kind, continues, lost.stream().map(Lost::face).toList());
    }

    /**
     * The faces lost as of this frame: those of the last frame that no face of this one took, and those lost before
     * that no face of this one is at the place of ({@link #samePlace}), each at most {@code limit} frames.
     */
    private static List<Lost> stillLost(Recent recent, List<DetectedFace> faces, int limit) {
        List<Lost> out = new ArrayList<>();
        for (Lost l : recent.lost()) {
            if (l.frames() < limit && faces.stream().noneMatch(f -> samePlace(f.box(), l.face().box()))) {
                out.add(new Lost(l.face(), l.frames() + 1));
            }
        }
        for (int i : lostIndices(recent.boxes(), faces)) {
            DetectedFace f = recent.faces().get(i);
            if (out.stream().noneMatch(l -> samePlace(l.face().box(), f.box()))) {
                out.add(new Lost(f, 1));
            }
        }
        return out;
    }

    /**
     * Whether two boxes hold the same face: IoU 0.5, or half of the smaller inside the larger (a part of a face, an
     * eye and the nose, found beside the whole).
     */
    static boolean samePlace(BoundingBox a, BoundingBox b) {
        return a.iou(b) >= 0.5 || partOf(a, b);
    }

    /**
     * Whether half of the smaller box lies inside the larger: a part of a face (an eye and the nose, the lit half)
     * found beside or inside the whole.
     */
    static boolean partOf(BoundingBox a, BoundingBox b) {
        return a.intersection(b) >= 0.5 * Math.min(a.area(), b.area());
    }

    /** The faces of a frame with those kept by unsure detections, and each one's frames since a sure one. */
    private record Held(List<DetectedFace> faces, int[] unsureFor) {
    }

    /** Indices of the last frame's boxes that no face of this one took and unsure faces have not held too long. */
    private static List<Integer> heldIndices(Recent recent, List<DetectedFace> faces) {
        return lostIndices(recent.boxes(), faces).stream().filter(i -> recent.unsureFor()[i] < HOLD_FRAMES).toList();
    }

    /**
     * {@code faces} and, for each box of the last frame that they lost ({@code lostHere}, indices; {@code near}, the
     * boxes), the unsure face {@code found} at its place (IoU at least {@value #SAME_PLACE}), unless a face of this frame
     * is already there ({@link #samePlace}).
     */
    private static Held held(Recent recent, List<DetectedFace> faces, List<Integer> lostHere, List<BoundingBox> near,
            List<DetectedFace> found) {
        List<DetectedFace> out = new ArrayList<>(faces);
        List<Integer> ages = new ArrayList<>(Collections.nCopies(faces.size(), 0));
        if (!found.isEmpty()) {
            int[] partner = BoxPairing.largestOverlapFirst(near, found.stream().map(DetectedFace::box).toList(), SAME_PLACE,
                    (i, j) -> true);
            for (int k = 0; k < lostHere.size(); k++) {
                DetectedFace f = partner[k] < 0 ? null : found.get(partner[k]);
                if (f != null && out.stream().noneMatch(g -> samePlace(g.box(), f.box()))) {
                    out.add(f);
                    ages.add(recent.unsureFor()[lostHere.get(k)] + 1);
                }
            }
        }
        return new Held(out, ages.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Overlap (IoU) at which a face of this frame is taken for a box of the last. */
    static final double SAME_PLACE = 0.3;

    /** The boxes of the last frame that no face of this one took, one face to one box, largest overlap first. */
    static List<BoundingBox> lost(List<BoundingBox> before, List<DetectedFace> now) {
        return lostIndices(before, now).stream().map(before::get).toList();
    }

    /** The indices of {@link #lost}'s boxes in {@code before}. */
    private static List<Integer> lostIndices(List<BoundingBox> before, List<DetectedFace> now) {
        int[] partner = BoxPairing.largestOverlapFirst(before, now.stream().map(DetectedFace::box).toList(), SAME_PLACE,
                (i, j) -> true);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            if (partner[i] < 0) {
                out.add(i);
            }
        }
        return out;
    }

    /** The faces followed, and those found around lost boxes that are not one of them (IoU below 0.5 with each). */
    static List<DetectedFace> withFoundAgain(List<DetectedFace> followed, List<DetectedFace> found) {
        List<DetectedFace> out = new ArrayList<>(followed);
        for (DetectedFace f : found) {
            if (out.stream().noneMatch(g -> g.box().iou(f.box()) >= 0.5)) {
                out.add(f);
            }
        }
        return out;
    }

    /** Mean luma of each grid cell, from every fourth pixel of every fourth row (a cell is 40×40 px at 640×360). */
    static float[] grid(RgbImage image) {
        float[] sum = new float[GRID_COLUMNS * GRID_ROWS];
        int[] count = new int[sum.length];
        byte[] p = image.pixels();
        int w = image.width();
        int h = image.height();
        for (int y = 0; y < h; y += SAMPLE_STEP) {
            int row = y * GRID_ROWS / h * GRID_COLUMNS;
            for (int x = 0; x < w; x += SAMPLE_STEP) {
                int i = 3 * (y * w + x);
                int cell = row + x * GRID_COLUMNS / w;
                sum[cell] += 0.299f * (p[i] & 0xff) + 0.587f * (p[i + 1] & 0xff) + 0.114f * (p[i + 2] & 0xff);
                count[cell]++;
            }
        }
        for (int c = 0; c < sum.length; c++) {
            sum[c] = count[c] == 0 ? 0 : sum[c] / count[c];
        }
        return sum;
    }

    /** Mean absolute difference of two grids. */
    static double change(float[] a, float[] b) {
        double d = 0;
        for (int c = 0; c < a.length; c++) {
            d += Math.abs(a[c] - b[c]);
        }
        return d / a.length;
    }
}
