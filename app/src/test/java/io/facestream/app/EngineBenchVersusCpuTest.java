package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Landmarks;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bench engine --versus-cpu}: the figures that tell whether a GPU gives the CPU's faces and embeddings. */
class EngineBenchVersusCpuTest {

    @Test
    void pointDifferenceIsTheLargestOverBoxCornersAndLandmarks() {
        DetectedFace a = new DetectedFace(new BoundingBox(10, 20, 110, 140), 0.99,
                Landmarks.of(40, 60, 80, 60, 60, 80, 45, 100, 75, 100));
        DetectedFace sameBoxOtherMouth = new DetectedFace(new BoundingBox(10, 20, 110, 140), 0.98,
                Landmarks.of(40, 60, 80, 60, 60, 80, 45, 100, 75, 100.25));
        DetectedFace shiftedBox = new DetectedFace(new BoundingBox(10.5, 20, 110, 139), 0.99,
                Landmarks.of(40, 60, 80, 60, 60, 80, 45, 100, 75, 100));
        assertEquals(0.0, EngineBenchCommand.largestPointDifference(List.of(a), List.of(a)));
        assertEquals(0.25, EngineBenchCommand.largestPointDifference(List.of(a), List.of(sameBoxOtherMouth)), 1e-12);
        assertEquals(1.0, EngineBenchCommand.largestPointDifference(List.of(a, a), List.of(a, shiftedBox)), 1e-12);
    }

    /** Without a GPU both engines are on the CPU: the same three faces and the same embeddings, to the bit. */
    @Test
    void onTheCpuTheComparisonFindsNoDifference() {
        CliTest.Run r = CliTest.run("bench", "engine", "--runs", "3", "--threads", "1", "--versus-cpu",
                "--video-frames", "1", "--video-min-faces", "60");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("device auto (cpu()"), r.out());
        Matcher faces = Pattern.compile("faces found: (\\d+) here, (\\d+) on the CPU; largest box or landmark"
                + " difference 0\\.0000 px").matcher(r.out());
        assertTrue(faces.find(), r.out());
        assertEquals(faces.group(1), faces.group(2));
        assertTrue(Integer.parseInt(faces.group(1)) >= 2, "the sample photo holds several faces: " + faces.group(1));
        for (String model : List.of("mobilefacenet-192", "dlib-resnet-128")) {
            assertTrue(Pattern.compile(model + " +largest squared L2 between the two embeddings of a face: 0\\.00e\\+00")
                    .matcher(r.out()).find(), model + ":\n" + r.out());
        }
    }
}
