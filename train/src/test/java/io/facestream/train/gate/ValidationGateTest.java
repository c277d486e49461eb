package io.facestream.train.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.facestream.recognize.eval.PairsFile;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.weights.WeightStore;
import io.facestream.train.data.LabelledFolder;
import io.facestream.train.testing.YaleFaces;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate lets the current model through against itself and refuses one whose weights were scrambled. */
class ValidationGateTest {

    private static final List<String> PEOPLE = List.of("yaleB01", "yaleB02", "yaleB04", "yaleB06", "yaleB07");

    @TempDir
    Path tmp;

    @Test
    void refusesAModelWithScrambledWeights() throws Exception {
        // 8 well-lit-to-dark images of each of 5 training people, in LFW's layout
        Path source = YaleFaces.extract(PEOPLE);
        Path folder = tmp.resolve("faces");
        for (String p : PEOPLE) {
            Files.createDirectories(folder.resolve(p));
            List<Path> all = LabelledFolder.open(source, List.of(p)).images(p);
            for (int i = 0; i < 8; i++) {
                Path img = all.get(i * 7);
                Files.copy(img, folder.resolve(p).resolve(img.getFileName()));
            }
        }
        List<String> lines = HeldOutPairs.make(LabelledFolder.open(folder, PEOPLE), 10, 6, 11);
        Path pairsFile = tmp.resolve("pairs.txt");
        Files.write(pairsFile, lines, StandardCharsets.UTF_8);
        PairsFile pairs = PairsFile.read(pairsFile, folder);
        assertEquals(120, pairs.pairs().size());
        ValidationSet set = new ValidationSet("yale sample", pairs, YaleFaces.cropAll(pairs.images()));
        ValidationGate gate = new ValidationGate(set, null, ValidationGate.DEFAULT_GENERAL_TOLERANCE);
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu())) {
            ValidationGate.Figures current = gate.measure(c -> net.embed(c, 32));
            // Yale B's extreme light is hard for the public model (73% on the test pairs): well above chance here
            assertTrue(current.target().accuracy() > 0.6, "the public model on these faces: " + current.target());
            assertTrue(gate.judge(current, current).passed(), "a model as good as the current one passes");
            scramble(net, new Random(5));
            ValidationGate.Figures scrambled = gate.measure(c -> net.embed(c, 32));
            System.out.println("public " + current.target() + "; scrambled " + scrambled.target());
            ValidationGate.Verdict v = gate.judge(scrambled, current);
            assertFalse(v.passed());
            assertTrue(v.reason().startsWith("target accuracy"), v.reason());
            assertTrue(scrambled.target().accuracy() < current.target().accuracy() - 0.05, scrambled.target().toString());
        }
    }

    /** Permutes the values inside every convolution kernel from the 14×14 stage on. */
    private static void scramble(TrainableNetwork net, Random random) {
        boolean from = false;
        for (Pair<String, Parameter> p : net.model().getBlock().getParameters()) {
            from |= p.getKey().contains("bneck5");
            if (!from || !p.getKey().endsWith("weight")) {
                continue;
            }
            NDArray a = p.getValue().getArray();
            float[] v = a.toFloatArray();
            for (int i = v.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                float t = v[i];
                v[i] = v[j];
                v[j] = t;
            }
            a.set(v);
        }
    }

    @Test
    void aRefusalForAccuraciesThatRoundAlikeShowsTheDigitsThatDiffer() {
        ValidationGate gate = new GateWithGeneral(0.001).gate;
        ValidationGate.Figures current = new ValidationGate.Figures(fig("t", 0.997520), fig("g", 0.99));
        ValidationGate.Verdict v = gate.judge(new ValidationGate.Figures(fig("t", 0.997490), fig("g", 0.99)), current);
        assertFalse(v.passed());
        assertEquals("target accuracy 99.749% is below the current model's 99.752%", v.reason());
        ValidationGate.Verdict far = gate.judge(new ValidationGate.Figures(fig("t", 0.9831), fig("g", 0.99)), current);
        assertFalse(far.passed());
        assertEquals("target accuracy 98.31% is below the current model's 99.75%", far.reason());
        assertEquals(List.of("99.75%", "99.75%"), List.of(ValidationGate.percentsApart(0.9975, 0.9975)));
        assertEquals(List.of("99.7500%", "99.7500%"), List.of(ValidationGate.percentsApart(0.9975, 0.99750001)));
    }

    @Test
    void theGeneralSetMayFallByTheToleranceOnly() {
        ValidationGate.Figures current = new ValidationGate.Figures(fig("t", 0.80), fig("g", 0.990));
        ValidationSet dummy = null;
        ValidationGate gate = new GateWithGeneral(0.001).gate;
        assertTrue(gate.judge(new ValidationGate.Figures(fig("t", 0.85), fig("g", 0.9895)), current).passed());
        ValidationGate.Verdict fell = gate.judge(new ValidationGate.Figures(fig("t", 0.85), fig("g", 0.9885)), current);
        assertFalse(fell.passed());
        assertTrue(fell.reason().startsWith("general accuracy 98.85%"), fell.reason());
        assertFalse(gate.judge(new ValidationGate.Figures(fig("t", 0.7999), fig("g", 0.999)), current).passed());
        assertTrue(dummy == null);
    }

    @Test
    void theGeneralBarStaysAtTheStartingModelSoTheToleranceDoesNotAddUp() {
        ValidationGate gate = new GateWithGeneral(0.001).gate;
        ValidationGate.Figures start = new ValidationGate.Figures(fig("t", 0.80), fig("g", 0.990));
        // a kept model already 0.05 point below the start on the general set
        ValidationGate.Figures kept = new ValidationGate.Figures(fig("t", 0.82), fig("g", 0.9895));
        ValidationGate.Figures next = new ValidationGate.Figures(fig("t", 0.83), fig("g", 0.9886));
        assertTrue(gate.judge(next, kept).passed(), "against the kept model alone it would pass");
        ValidationGate.Verdict v = gate.judge(next, kept, start);
        assertFalse(v.passed());
        assertEquals("general accuracy 98.86% fell more than 0.10 points below the starting model's 99.00%", v.reason());
        assertTrue(gate.judge(new ValidationGate.Figures(fig("t", 0.83), fig("g", 0.9891)), kept, start).passed());
    }

    private static SetFigures fig(String set, double accuracy) {
        return new SetFigures(set, 600, accuracy, 0.01, accuracy - 0.1, 0.02, 1.2);
    }

    /** A gate over two tiny sets, for judging hand-made figures. */
    private static final class GateWithGeneral {
        final ValidationGate gate;

        GateWithGeneral(double tolerance) {
            PairsFile pf = PairsFile.parse(List.of("2\t1", "a\t1\t2", "a\t1\tb\t1", "a\t1\t3", "a\t2\tb\t1"), "test",
                    Path.of("/nowhere"));
            java.util.Map<Path, io.facestream.recognize.align.FaceCrop> crops = new java.util.HashMap<>();
            for (Path p : pf.images()) {
                crops.put(p, new io.facestream.recognize.align.FaceCrop(1, new float[3]));
            }
            ValidationSet s = new ValidationSet("s", pf, crops);
            gate = new ValidationGate(s, s, tolerance);
        }
    }
}
