package io.facestream.recognize.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facestream.core.DetectedFace;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.testing.SharedData;
import io.facestream.recognize.weights.WeightStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole detector on the three LFW images of golden_e2e: pixels, pyramid, every stage's boxes, faces. */
class MtcnnGoldenE2eTest {

    static final String[] FILES = {"Aaron_Eckhart/Aaron_Eckhart_0001.jpg", "George_W_Bush/George_W_Bush_0001.jpg",
        "Mark_Geragos/Mark_Geragos_0001.jpg"};

    static Golden golden;
    static JsonNode json;
    static MtcnnDetector detector;
    static List<RgbImage> images = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        golden = new Golden("reference/golden_e2e.npz");
        json = new ObjectMapper().readTree(SharedData.require("reference/golden_e2e.json").toFile());
        images.clear();
        for (Path p : extractLfw(FILES)) {
            images.add(RgbImage.read(p));
        }
        detector = MtcnnDetector.load(WeightStore.defaultStore(), MtcnnOptions.defaults());
    }

    @AfterAll
    static void tearDown() {
        if (detector != null) {
            detector.close();
        }
        if (golden != null) {
            golden.close();
        }
    }

    /** Extracts the named LFW files (paths below the archive's {@code lfw/} folder) into target/. */
    static List<Path> extractLfw(String... files) throws Exception {
        Path tgz = SharedData.require("data/lfw-deepfunneled.tgz");
        Path dir = Path.of("target", "lfw-golden").toAbsolutePath();
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of("tar", "xzf", tgz.toString(), "-C", dir.toString()));
        List<Path> out = new ArrayList<>();
        for (String f : files) {
            cmd.add("lfw/" + f);
            out.add(dir.resolve("lfw").resolve(f));
        }
        if (!out.stream().allMatch(Files::isRegularFile)) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), "tar failed: " + log);
        }
        return out;
    }

    @Test
    void decodedPixelsEqualTheReference() {
        for (int k = 0; k < images.size(); k++) {
            RgbImage img = images.get(k);
            float[] expected = golden.floats("img" + k + "_rgb");
            assertEquals(expected.length, img.pixels().length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], img.pixels()[i] & 0xff, "img" + k + " byte " + i);
            }
        }
    }

    @Test
    void pipelineMatchesTheReference() {
        // one batched call: all pyramids share a P-Net canvas, all crops share R/O-Net batches
        List<MtcnnTrace> traces = detector.trace(images);
        double maxStage = 0;
        double maxBox = 0;
        double maxLm = 0;
        double maxScore = 0;
        for (int k = 0; k < images.size(); k++) {
            MtcnnTrace t = traces.get(k);
            JsonNode info = json.get("images").get(k);
            double[] scales = new double[info.get("scales").size()];
            for (int i = 0; i < scales.length; i++) {
                scales[i] = info.get("scales").get(i).asDouble();
            }
            assertArrayEquals(scales, t.scales(), 0.0, "img" + k + " pyramid scales");
            maxStage = Math.max(maxStage, compareRows("img" + k + "_stage1_boxes", t.stage1(), 1e-3));
            maxStage = Math.max(maxStage, compareRows("img" + k + "_stage2_boxes", t.stage2(), 1e-3));

            float[] boxes = golden.floats("img" + k + "_boxes");
            float[] lms = golden.floats("img" + k + "_landmarks");
            List<DetectedFace> faces = t.faces();
            assertEquals(boxes.length / 5, faces.size(), "img" + k + " face count");
            assertEquals(info.get("n_faces").asInt(), faces.size());
            for (int f = 0; f < faces.size(); f++) {
                DetectedFace face = faces.get(f);
                double[] b = face.box().toArray();
                for (int c = 0; c < 4; c++) {
                    // the reference keeps the pipeline's 1-based boxes; ours are 0-based
                    maxBox = Math.max(maxBox, Math.abs(boxes[5 * f + c] - (b[c] + 1)));
                }
                maxScore = Math.max(maxScore, Math.abs(boxes[5 * f + 4] - face.score()));
                for (int p = 0; p < 5; p++) {
                    maxLm = Math.max(maxLm, Math.abs(lms[10 * f + 2 * p] - face.landmarks().get(p).x()));
                    maxLm = Math.max(maxLm, Math.abs(lms[10 * f + 2 * p + 1] - face.landmarks().get(p).y()));
                }
            }
        }
        System.out.printf("e2e max abs diff: stage boxes %.3g, final boxes %.3g px, landmarks %.3g px, scores %.3g%n",
                maxStage, maxBox, maxLm, maxScore);
        assertTrue(maxBox <= 0.01, "final boxes differ by " + maxBox + " px");
        assertTrue(maxLm <= 0.01, "landmarks differ by " + maxLm + " px");
        assertTrue(maxScore <= 1e-4, "scores differ by " + maxScore);
    }

    @Test
    void singleImageCallsGiveTheSameFacesAsTheBatch() {
        List<List<DetectedFace>> batch = detector.detect(images);
        for (int k = 0; k < images.size(); k++) {
            List<DetectedFace> one = detector.detect(images.get(k));
            assertEquals(batch.get(k).size(), one.size());
            for (int f = 0; f < one.size(); f++) {
                assertArrayEquals(batch.get(k).get(f).box().toArray(), one.get(f).box().toArray(), 1e-3);
            }
        }
    }

    @Test
    void concurrentCallsLeaveNoArraysInTheModelAndAgree() throws Exception {
        try (MtcnnNetworks nets = MtcnnNetworks.load(WeightStore.defaultStore())) {
            MtcnnDetector shared = new MtcnnDetector(nets, MtcnnOptions.defaults());
            List<List<DetectedFace>> sequential = shared.detect(images);
            int before = nets.managedArrayCount();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<List<DetectedFace>>>> runs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    runs.add(pool.submit(() -> shared.detect(images)));
                }
                for (Future<List<List<DetectedFace>>> r : runs) {
                    List<List<DetectedFace>> got = r.get();
                    for (int k = 0; k < images.size(); k++) {
                        assertEquals(sequential.get(k).size(), got.get(k).size());
                        for (int f = 0; f < got.get(k).size(); f++) {
                            assertArrayEquals(sequential.get(k).get(f).box().toArray(), got.get(k).get(f).box().toArray(),
                                    1e-4);
                        }
                    }
                }
            } finally {
                pool.shutdown();
            }
            assertEquals(before, nets.managedArrayCount(), "arrays left in the networks' manager after detecting");
        }
    }

    /** Same row count and order; every value within {@code tol}. Returns the largest difference. */
    static double compareRows(String name, List<double[]> actual, double tol) {
        float[] expected = golden.floats(name);
        assertEquals(expected.length / 5, actual.size(), name + " row count");
        double max = 0;
        for (int r = 0; r < actual.size(); r++) {
            for (int c = 0; c < 5; c++) {
                double d = Math.abs(expected[5 * r + c] - actual.get(r)[c]);
                max = Math.max(max, d);
                assertTrue(d <= tol, name + " row " + r + " column " + c + ": expected " + expected[5 * r + c]
                        + ", got " + actual.get(r)[c]);
            }
        }
        return max;
    }
}
