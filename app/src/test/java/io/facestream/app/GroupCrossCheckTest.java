package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.Embedding;
import io.facestream.recognize.engine.FaceVariants;
import io.facestream.recognize.eval.PairsFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupCrossCheckTest {

    private static final Path DIR = Path.of("/faces").toAbsolutePath();

    /** Four folds of one same and one different pair; folds 1-2 show Ann and Bob, folds 3-4 Cy and Di. */
    private static PairsFile pairs() {
        return PairsFile.parse(List.of("4\t1",
                "Ann\t1\t2", "Ann\t3\tBob\t1",
                "Bob\t2\t3", "Ann\t1\tBob\t2",
                "Cy\t1\t2", "Cy\t1\tDi\t1",
                "Di\t1\t2", "Cy\t2\tDi\t2"), "pairs.txt", DIR);
    }

    @Test
    void theFoldsAreCutInTwoHalvesWithThePeopleEachShows() {
        List<GroupCrossCheck.Half> halves = GroupCrossCheck.halves(pairs());
        assertEquals(2, halves.size());
        assertEquals(List.of(0, 1), halves.get(0).folds(), "fold ids count from 0");
        assertEquals(Set.of("Ann", "Bob"), halves.get(0).people());
        assertEquals("1-2", halves.get(0).name());
        assertEquals(List.of(2, 3), halves.get(1).folds());
        assertEquals("3-4", halves.get(1).name());
        assertEquals(Set.of("Cy", "Di"), halves.get(1).people());
    }

    @Test
    void eachHalfPicksItsThresholdsOnItsOwnPairsByTheProtocolRule() {
        // Unit vectors on a circle: a squared distance is 2 - 2 cos of the angle between two faces.
        Map<Path, FaceVariants> faces = new HashMap<>();
        put(faces, "Ann", 1, 0.00);
        put(faces, "Ann", 2, 0.30);
        put(faces, "Ann", 3, 0.10);
        put(faces, "Bob", 1, 1.50);
        put(faces, "Bob", 2, 1.20);
        put(faces, "Bob", 3, 1.60);
        // Cy and Di are far tighter and closer together: their half must give a much smaller threshold.
        put(faces, "Cy", 1, 3.00);
        put(faces, "Cy", 2, 3.05);
        put(faces, "Di", 1, 3.30);
        put(faces, "Di", 2, 3.28);
        PairsFile pf = pairs();
        List<GroupCrossCheck.Half> halves = GroupCrossCheck.halves(pf);

        // Fold 1's threshold is the midpoint of fold 2's same and different pair, and the other way round.
        double s1 = d(0.00, 0.30), d1 = d(0.10, 1.50), s2 = d(1.20, 1.60), d2 = d(0.00, 1.20);
        GroupCommand.Thresholds a = GroupCrossCheck.thresholds(pf, halves.get(0), faces);
        assertEquals(((s2 + d2) / 2 + (s1 + d1) / 2) / 2, a.mobileFaceNet(), 1e-6);
        assertEquals(a.mobileFaceNet(), a.dlib(), 1e-6, "both networks see the same circle here");

        double s3 = d(3.00, 3.05), d3 = d(3.00, 3.30), s4 = d(3.30, 3.28), d4 = d(3.05, 3.28);
        GroupCommand.Thresholds b = GroupCrossCheck.thresholds(pf, halves.get(1), faces);
        assertEquals(((s4 + d4) / 2 + (s3 + d3) / 2) / 2, b.mobileFaceNet(), 1e-6);
        assertTrue(b.mobileFaceNet() < a.mobileFaceNet() / 5, a + " " + b);
        assertTrue(b.ensemble() > 0 && b.ensemble() < a.ensemble(), a + " " + b);
    }

    @Test
    void aPairsFileOfFewerThanFourFoldsIsASentence() {
        PairsFile two = PairsFile.parse(List.of("2\t1", "Ann\t1\t2", "Ann\t3\tBob\t1", "Cy\t1\t2", "Cy\t1\tDi\t1"), "p.txt", DIR);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GroupCrossCheck.halves(two));
        assertTrue(e.getMessage().contains("4 or more folds"), e.getMessage());
    }

    private static void put(Map<Path, FaceVariants> faces, String name, int n, double angle) {
        Embedding e = new Embedding("circle", new float[] {(float) Math.cos(angle), (float) Math.sin(angle)});
        faces.put(PairsFile.imagePath(DIR, name, n), new FaceVariants(e, e, e, e));
    }

    private static double d(double x, double y) {
        Embedding a = new Embedding("circle", new float[] {(float) Math.cos(x), (float) Math.sin(x)});
        Embedding b = new Embedding("circle", new float[] {(float) Math.cos(y), (float) Math.sin(y)});
        return a.squaredDistance(b);
    }
}
