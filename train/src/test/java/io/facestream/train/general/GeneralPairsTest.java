package io.facestream.train.general;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.recognize.eval.PairsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Pairs from hand-made tracks: which pairs, in which folds, and what is never paired. */
class GeneralPairsTest {

    /** Faces of {@code label} in {@code clip} for frames {@code from..to}, 0.2 s apart, numbered from 1. */
    private static List<TrackedFace> track(String clip, String label, int from, int to) {
        List<TrackedFace> out = new ArrayList<>();
        for (int f = from; f <= to; f++) {
            out.add(new TrackedFace(clip, f, 0.2 * f, label, f - from + 1));
        }
        return out;
    }

    @Test
    void farApartPositivesAndSameFrameNegativesDealtToFolds() {
        List<TrackedFace> faces = new ArrayList<>();
        faces.addAll(track("c1", "c1_t1", 0, 9)); // 0 .. 1.8 s
        faces.addAll(track("c1", "c1_t2", 0, 9)); // with t1 in every frame
        faces.addAll(track("c1", "c1_t3", 20, 21)); // 0.2 s long: no positive
        faces.addAll(track("c2", "c2_t1", 0, 4)); // 0.8 s long: no positive
        GeneralPairs.Result r = new GeneralPairs(1.0, 2, 2).make(faces);
        // per track: the farthest pair (1, 10), then the farthest of fresh images (2, 9); tracks take turns
        // negatives: the one label pair's frames spread over time: frames 0, 9, 5, 2
        assertEquals(List.of("2\t2",
                "c1_t1\t1\t10", "c1_t1\t2\t9", "c1_t1\t1\tc1_t2\t1", "c1_t1\t6\tc1_t2\t6",
                "c1_t2\t1\t10", "c1_t2\t2\t9", "c1_t1\t10\tc1_t2\t10", "c1_t1\t3\tc1_t2\t3"), r.lines());
        assertEquals(4, r.sameFrameNegatives());
        assertEquals(0, r.crossClipNegatives());
        assertEquals(2, r.labelsInPairs());
        PairsFile parsed = PairsFile.parse(r.lines(), "test", Path.of("g"));
        assertEquals(Path.of("g", "c1_t1", "c1_t1_0010.jpg"), parsed.pairs().get(0).b());
    }

    @Test
    void withoutSharedFramesNegativesComeFromOtherClipsNeverFromTwoTracksOfOneClip() {
        List<TrackedFace> faces = new ArrayList<>();
        faces.addAll(track("c1", "c1_t1", 0, 9));
        faces.addAll(track("c1", "c1_t2", 20, 29)); // may be c1_t1 again after an occlusion
        faces.addAll(track("c2", "c2_t1", 0, 9));
        GeneralPairs.Result r = new GeneralPairs(1.0, 1, 2).make(faces);
        // 3 positives, clips taking turns (c1, c2, c1), cut to 2 for 2 folds; negatives: the clip pair's label pairs
        assertEquals(List.of("2\t1", "c1_t1\t1\t10", "c1_t1\t1\tc2_t1\t1", "c2_t1\t1\t10", "c1_t2\t1\tc2_t1\t1"),
                r.lines());
        assertEquals(0, r.sameFrameNegatives());
        assertEquals(2, r.crossClipNegatives());
        for (String line : r.lines()) {
            assertFalse(line.contains("c1_t1") && line.contains("c1_t2"), line);
        }
    }

    @Test
    void theSameFacesInAnyOrderGiveTheSameFile() {
        List<TrackedFace> faces = new ArrayList<>();
        for (int t = 1; t <= 5; t++) {
            faces.addAll(track("street", "street_t" + t, t, 30 + 3 * t));
        }
        faces.addAll(track("film", "film_t1", 0, 40));
        GeneralPairs maker = new GeneralPairs(1.5, 3, 5);
        List<String> first = maker.make(faces).lines();
        Collections.shuffle(faces, new Random(7));
        assertEquals(first, maker.make(faces).lines());
        // every same-person pair is at least 1.5 s apart: 8 frames of 0.2 s
        for (String line : first.subList(1, first.size())) {
            String[] f = line.split("\t");
            if (f.length == 3) {
                assertTrue(Integer.parseInt(f[2]) - Integer.parseInt(f[1]) >= 8, line);
            }
        }
    }

    @Test
    void aCrowdedPhotoDoesNotCrowdOutTheClips() {
        List<TrackedFace> faces = new ArrayList<>();
        faces.addAll(track("clip", "clip_t1", 0, 9));
        faces.addAll(track("clip", "clip_t2", 0, 9));
        for (int f = 1; f <= 8; f++) { // 28 pairs of people in one photo
            faces.add(new TrackedFace("crowd", 0, 0, "crowd_f" + f, 1));
        }
        GeneralPairs.Result r = new GeneralPairs(1.0, 3, 2).make(faces);
        long fromClip = r.lines().stream().filter(l -> l.split("\t").length == 4 && l.startsWith("clip_")).count();
        // 6 positives, so 6 negatives: the clip and the photo take turns, 3 each (the photo alone has 28)
        assertEquals(3, fromClip, r.lines().toString());
        assertEquals(6, r.sameFrameNegatives());
    }

    @Test
    void oneFoldIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GeneralPairs(1.0, 2, 1));
        assertEquals("the LFW protocol needs at least 2 folds, was 1", e.getMessage());
    }

    @Test
    void tooFewPositivesIsASentence() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GeneralPairs(1.0, 2, 10).make(track("c", "c_t1", 0, 9)));
        assertEquals("only 2 same-person pairs at least 1.0 s apart for 10 folds; give longer clips, more clips,"
                + " or a smaller --min-gap", e.getMessage());
    }

    @Test
    void spreadVisitsEndsThenMiddlesThenQuarters() {
        List<Integer> ten = IntStream.range(0, 10).boxed().toList();
        assertEquals(List.of(0, 9, 5, 2, 7, 1, 3, 6, 8, 4), GeneralPairs.spread(ten));
        assertEquals(List.of(0, 1), GeneralPairs.spread(List.of(0, 1)));
    }
}
