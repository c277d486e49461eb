package io.facestream.recognize.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Landmarks;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.testing.Images;
import io.facestream.recognize.track.KeyframeDetector.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a frame gets a full detection and when its faces are followed near the last boxes. */
class KeyframeDetectorTest {

    static final RgbImage IMAGE = new RgbImage(4, 4, new byte[48]);

    static DetectedFace face(double x) {
        return new DetectedFace(new BoundingBox(x, 10, x + 40, 50), 0.99, Landmarks.of(new double[10]));
    }

    /** Finds {@code full} on a full detection; near boxes, finds {@code followed} faces (a list per call). */
    static final class Scripted implements KeyframeDetector.Detector {
        List<DetectedFace> full = List.of(face(0), face(100));
        int followed = 2;
        final List<String> calls = new ArrayList<>();
        final List<List<BoundingBox>> near = new ArrayList<>();

        @Override
        public List<DetectedFace> detect(RgbImage image) {
            calls.add("full");
            return full;
        }

        @Override
        public List<DetectedFace> detectPart(RgbImage image, List<BoundingBox> boxes, int part, int parts) {
            List<DetectedFace> out = redetect(image, boxes);
            calls.set(calls.size() - 1, "part " + part + "/" + parts);
            return out;
        }

        /** What a search around lost boxes finds. */
        List<DetectedFace> foundAgain = List.of();
        final List<List<BoundingBox>> searched = new ArrayList<>();

        @Override
        public List<DetectedFace> searchNear(RgbImage image, List<BoundingBox> lost) {
            calls.add("search");
            searched.add(lost);
            return foundAgain;
        }

        /** What a search at a lowered threshold finds, and the boxes it was given. */
        List<DetectedFace> unsureFound = List.of();
        final List<List<BoundingBox>> unsureNear = new ArrayList<>();

        @Override
        public List<DetectedFace> redetectUnsure(RgbImage image, List<BoundingBox> boxes, double threshold) {
            calls.add("unsure " + threshold);
            unsureNear.add(boxes);
            return unsureFound;
        }

        @Override
        public List<DetectedFace> redetect(RgbImage image, List<BoundingBox> boxes) {
            calls.add("near");
            near.add(boxes);
            List<DetectedFace> out = new ArrayList<>();
            for (int i = 0; i < Math.min(followed, boxes.size()); i++) {
                out.add(face(boxes.get(i).x1() + 1));
            }
            return out;
        }
    }

    @Test
    void fullOnKeyFramesAndTheFirstFrameFollowedInBetween() {
        Scripted s = new Scripted();
        KeyframeDetector d = new KeyframeDetector(s, 5);
        List<Kind> kinds = new ArrayList<>();
        for (long seq = 3; seq <= 11; seq++) {
            kinds.add(d.detect("cam", seq, IMAGE).kind());
        }
        // 3: first frame of the camera; 5 and 10: key frames
        assertEquals(List.of(Kind.FULL, Kind.FOLLOWED, Kind.FULL, Kind.FOLLOWED, Kind.FOLLOWED, Kind.FOLLOWED,
                Kind.FOLLOWED, Kind.FULL, Kind.FOLLOWED), kinds);
        // each following starts from the boxes of the frame before: the face moved 1 px per frame
        assertEquals(List.of(new BoundingBox(0, 10, 40, 50), new BoundingBox(100, 10, 140, 50)), s.near.get(0));
        assertEquals(new BoundingBox(2, 10, 42, 50), s.near.get(3).get(0)); // frame 8: moved on from key frame 5
    }

    @Test
    void spreadSearchesOnePartOfThePyramidOnEachFrameBesideTheKnownFacesAndNeverTheWholeOnASchedule() {
        Scripted s = new Scripted();
        KeyframeDetector d = new KeyframeDetector(s, 5, KeyframeDetector.Schedule.SPREAD);
        List<Kind> kinds = new ArrayList<>();
        for (long seq = 3; seq <= 11; seq++) {
            kinds.add(d.detect("cam", seq, IMAGE).kind());
        }
        assertEquals(Kind.FULL, kinds.get(0), "the first frame of a camera");
        assertEquals(List.of(Kind.FOLLOWED), kinds.subList(1, kinds.size()).stream().distinct().toList());
        assertEquals(List.of("full", "part 4/5", "part 0/5", "part 1/5", "part 2/5", "part 3/5", "part 4/5", "part 0/5",
                "part 1/5"), s.calls);
        assertEquals(new BoundingBox(2, 10, 42, 50), s.near.get(2).get(0), "frame 6 follows the boxes of frame 5");

        s.followed = 1;
        assertEquals(Kind.FOLLOWED, d.detect("cam", 12, IMAGE).kind(), "a lost face is looked for where it was, not everywhere");
        assertEquals("search", s.calls.get(s.calls.size() - 1));
    }

    @Test
    void aLostFaceIsSearchedForAroundItsBoxInTheSameFrame() {
        Scripted s = new Scripted();
        KeyframeDetector d = new KeyframeDetector(s, 5);
        d.detect("cam", 1, IMAGE);
        s.followed = 1;
        s.foundAgain = List.of(face(112));
        KeyframeDetector.Result r = d.detect("cam", 2, IMAGE);
        assertEquals(Kind.FOLLOWED, r.kind());
        assertEquals(List.of("full", "near", "search"), s.calls);
        assertEquals(List.of(List.of(new BoundingBox(100, 10, 140, 50))), s.searched, "only the box no face took");
        assertEquals(List.of(face(1), face(112)), r.faces(), "the face followed and the one found again");

        // found again where a followed face already is: not a second face
        s.foundAgain = List.of(face(3));
        KeyframeDetector.Result twice = d.detect("cam", 3, IMAGE);
        assertEquals(List.of(face(2)), twice.faces(), "the duplicate is dropped");
        assertEquals(List.of(new BoundingBox(112, 10, 152, 50)), s.searched.get(1));
    }

    @Test
    void aFaceThatLeftIsNotFoundAndTheNextKeyFrameLooksEverywhere() {
        Scripted s = new Scripted();
        KeyframeDetector d = new KeyframeDetector(s, 5);
        d.detect("cam", 1, IMAGE);
        s.followed = 1;
        KeyframeDetector.Result r = d.detect("cam", 2, IMAGE);
        assertEquals(List.of(face(1)), r.faces());
        assertEquals(List.of("full", "near", "search"), s.calls);
        assertEquals(Kind.FULL, d.detect("cam", 5, IMAGE).kind());
    }

    @Test
    void theLostBoxesAreThoseNoFaceTookOneToOne() {
        BoundingBox a = new BoundingBox(0, 10, 40, 50);
        BoundingBox b = new BoundingBox(30, 10, 70, 50);
        BoundingBox c = new BoundingBox(200, 10, 240, 50);
        // one face between a and b, nearer b: it takes b only, and a and c are lost
        assertEquals(List.of(a, c), KeyframeDetector.lost(List.of(a, b, c), List.of(face(26))));
        assertEquals(List.of(a, b, c), KeyframeDetector.lost(List.of(a, b, c), List.of()));
        assertEquals(List.of(), KeyframeDetector.lost(List.of(a), List.of(face(2), face(100))));
    }

    @Test
    void gapsReplaysAndOtherCamerasStartFromAFullDetection() {
        Scripted s = new Scripted();
        KeyframeDetector d = new KeyframeDetector(s, 5);
        assertEquals(Kind.FULL, d.detect("a", 1, IMAGE).kind());
        assertEquals(Kind.FOLLOWED, d.detect("a", 3, IMAGE).kind()); // every other frame, as with two subtasks
        assertEquals(Kind.FULL, d.detect("b", 3, IMAGE).kind()); // another camera has no boxes yet
        assertEquals(Kind.FULL, d.detect("a", 2, IMAGE).kind()); // older than the last: a replay
        assertEquals(Kind.FULL, d.detect("a", 8, IMAGE).kind()); // 6 frames later: the boxes are stale
        s.full = List.of();
        assertEquals(Kind.FULL, d.detect("a", 10, IMAGE).kind());
        assertEquals(Kind.FOLLOWED, d.detect("a", 11, IMAGE).kind()); // nothing to follow, nothing found
        assertEquals(List.of(), d.detect("a", 12, IMAGE).faces());
    }

    @Test
    void aFrameContinuesTheLastOneSeenUnlessItIsTheFirstAReplayOrACut() {
        KeyframeDetector d = new KeyframeDetector(new Scripted(), 5);
        RgbImage dark = Images.flat(64, 36, 40);
        assertFalse(d.detect("cam", 1, dark).continues(), "the first frame of a camera");
        assertTrue(d.detect("cam", 3, dark).continues(), "the next frame this subtask sees");
        assertTrue(d.detect("cam", 5, dark).continues(), "a key frame of the same scene still continues it");
        assertFalse(d.detect("cam", 4, dark).continues(), "older than the last one: a replay");
        assertFalse(d.detect("cam", 6, Images.flat(64, 36, 95)).continues(), "a cut");
        assertTrue(d.detect("cam", 7, Images.flat(64, 36, 95)).continues());
        assertFalse(d.detect("door", 8, dark).continues(), "another camera");
        KeyframeDetector everyFrame = new KeyframeDetector(new Scripted(), 1);
        everyFrame.detect("cam", 1, dark);
        assertTrue(everyFrame.detect("cam", 2, dark).continues(), "a full detection on every frame still follows a scene");
    }

    @Test
    void aCutBringsAFullDetection() {
        Scripted s = new Scripted();
        KeyframeDetector d = new KeyframeDetector(s, 5);
        RgbImage dark = Images.flat(64, 36, 40);
        d.detect("cam", 1, dark);
        // a uniform change of 25 levels is within a scene (light, exposure); 30 is a cut
        assertEquals(Kind.FOLLOWED, d.detect("cam", 2, Images.flat(64, 36, 65)).kind());
        assertEquals(Kind.FULL, d.detect("cam", 3, Images.flat(64, 36, 95)).kind());
        // a quarter of the picture 80 levels brighter: someone walking by, not a cut
        RgbImage part = Images.flat(64, 36, 95);
        for (int y = 0; y < 36; y++) {
            for (int x = 0; x < 16; x++) {
                for (int c = 0; c < 3; c++) {
                    part.pixels()[3 * (y * 64 + x) + c] = (byte) 175;
                }
            }
        }
        assertEquals(Kind.FOLLOWED, d.detect("cam", 4, part).kind());
    }

    @Test
    void everyFrameIsAKeyFrameWithAnIntervalOfOne() {
        Scripted s = new Scripted();
        KeyframeDetector d = new KeyframeDetector(s, 1);
        for (long seq = 0; seq < 4; seq++) {
            assertEquals(Kind.FULL, d.detect("cam", seq, IMAGE).kind());
        }
        assertEquals(List.of("full", "full", "full", "full"), s.calls);
        assertThrows(IllegalArgumentException.class, () -> new KeyframeDetector(s, 0));
    }

    @Test
    void aLostFaceIsHeldByUnsureDetectionsNearItsBoxForAtMostASecond() {
        Scripted s = new Scripted();
        KeyframeDetector d = new KeyframeDetector(s, 1, KeyframeDetector.Schedule.KEY_FRAMES, 0.1);
        d.detect("cam", 1, IMAGE);
        s.full = List.of(face(0));
        s.unsureFound = List.of(face(101), face(300));
        KeyframeDetector.Result r = d.detect("cam", 2, IMAGE);
        assertEquals(List.of("full", "full", "unsure 0.1"), s.calls);
        assertEquals(List.of(List.of(new BoundingBox(100, 10, 140, 50))), s.unsureNear, "only the box the detector lost");
        assertEquals(List.of(face(0), face(101)), r.faces(), "the sure face and the unsure one at the lost face's place");

        // held frame after frame while the detector stays unsure, up to HOLD_FRAMES frames in a row
        int held = 1;
        for (long seq = 3; seq <= 40; seq++) {
            held += d.detect("cam", seq, IMAGE).faces().contains(face(101)) ? 1 : 0;
        }
        assertEquals(KeyframeDetector.HOLD_FRAMES, held);
        assertEquals(KeyframeDetector.HOLD_FRAMES, s.unsureNear.size(), "no search once the hold is over");
        assertEquals(List.of(face(0)), d.detect("cam", 41, IMAGE).faces());

        // a sure detection starts the count again
        s.full = List.of(face(0), face(100));
        d.detect("cam", 42, IMAGE);
        s.full = List.of(face(0));
        assertEquals(List.of(face(0), face(101)), d.detect("cam", 43, IMAGE).faces());

        // an unsure face where a sure one already is is not a second face
        s.full = List.of(face(0), face(100));
        d.detect("cam", 44, IMAGE);
        s.full = List.of(face(0), face(200));
        s.unsureFound = List.of(face(199));
        assertEquals(List.of(face(0), face(200)), d.detect("cam", 45, IMAGE).faces());

        // nor is one around a part of a face found at its place (an eye and the nose, inside the whole)
        s.full = List.of(face(0), face(100));
        d.detect("cam", 46, IMAGE);
        DetectedFace part = new DetectedFace(new BoundingBox(122, 12, 142, 32), 0.99, Landmarks.of(new double[10]));
        s.full = List.of(face(0), part);
        s.unsureFound = List.of(face(101));
        assertEquals(List.of(face(0), part), d.detect("cam", 47, IMAGE).faces());
    }

    @Test
    void noUnsureSearchAfterACutOrWithoutAThreshold() {
        Scripted s = new Scripted();
        KeyframeDetector d = new KeyframeDetector(s, 1, KeyframeDetector.Schedule.KEY_FRAMES, 0.1);
        d.detect("cam", 1, new RgbImage(64, 36, new byte[64 * 36 * 3]));
        s.full = List.of(face(0));
        s.unsureFound = List.of(face(101));
        byte[] bright = new byte[64 * 36 * 3];
        java.util.Arrays.fill(bright, (byte) 200);
        KeyframeDetector.Result cut = d.detect("cam", 2, new RgbImage(64, 36, bright));
        assertFalse(cut.continues());
        assertEquals(List.of(face(0)), cut.faces(), "after a cut the last boxes say nothing");

        Scripted off = new Scripted();
        KeyframeDetector plain = new KeyframeDetector(off, 1);
        plain.detect("cam", 1, IMAGE);
        off.full = List.of(face(0));
        off.unsureFound = List.of(face(101));
        assertEquals(List.of(face(0)), plain.detect("cam", 2, IMAGE).faces());
        assertTrue(off.unsureNear.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new KeyframeDetector(s, 1, KeyframeDetector.Schedule.KEY_FRAMES, 1));
        assertThrows(IllegalArgumentException.class, () -> new KeyframeDetector(s, 1, KeyframeDetector.Schedule.KEY_FRAMES, -0.1));
    }

    @Test
    void aFaceNoSearchFoundIsGivenBackAtItsLastPlaceUntilFoundThereAgainOrForTheLimit() {
        Scripted s = new Scripted();
        KeyframeDetector d = new KeyframeDetector(s, 1, KeyframeDetector.Schedule.KEY_FRAMES, 0, 3);
        DetectedFace second = new DetectedFace(new BoundingBox(100, 10, 140, 50), 0.97,
                Landmarks.of(new double[] {110, 25, 130, 25, 120, 32, 112, 42, 128, 42}));
        s.full = List.of(face(0), second);
        assertEquals(List.of(), d.detect("cam", 1, IMAGE).lost(), "nothing lost in a camera's first frame");

        s.full = List.of(face(0));
        assertEquals(List.of(second), d.detect("cam", 2, IMAGE).lost(), "the face at its last box and landmarks");
        assertEquals(List.of(second), d.detect("cam", 3, IMAGE).lost());
        assertEquals(List.of(second), d.detect("cam", 4, IMAGE).lost());
        assertEquals(List.of(), d.detect("cam", 5, IMAGE).lost(), "given back for at most the limit's 3 frames");

        // found again at its place: no longer lost, and lost afresh the next time
        s.full = List.of(face(0), second);
        d.detect("cam", 6, IMAGE);
        s.full = List.of(face(0));
        d.detect("cam", 7, IMAGE);
        s.full = List.of(face(0), face(102));
        assertEquals(List.of(), d.detect("cam", 8, IMAGE).lost(), "a face found at the place ends the loss");
        s.full = List.of(face(0));
        KeyframeDetector.Result r = d.detect("cam", 9, IMAGE);
        assertEquals(List.of(face(102)), r.lost(), "the last face found there");
        assertEquals(List.of(face(0)), r.faces(), "a lost face is no face of the frame");

        // a cut ends every loss: what was there before says nothing of the new scene
        byte[] bright = new byte[64 * 36 * 3];
        java.util.Arrays.fill(bright, (byte) 200);
        assertEquals(List.of(), d.detect("cam", 10, new RgbImage(64, 36, bright)).lost());

        Scripted off = new Scripted();
        KeyframeDetector plain = new KeyframeDetector(off, 1);
        plain.detect("cam", 1, IMAGE);
        off.full = List.of(face(0));
        assertEquals(List.of(), plain.detect("cam", 2, IMAGE).lost(), "no limit, nothing given back");
        assertThrows(IllegalArgumentException.class,
                () -> new KeyframeDetector(s, 1, KeyframeDetector.Schedule.KEY_FRAMES, 0, -1));
    }
}
