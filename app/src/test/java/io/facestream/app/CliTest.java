package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: real weights, real images, real output. */
class CliTest {

    record Run(int exit, String out, String err) {
        List<JsonNode> json() throws Exception {
            List<JsonNode> nodes = new ArrayList<>();
            for (String line : out.strip().split("\n")) {
                if (!line.isBlank()) {
                    nodes.add(Json.MAPPER.readTree(line));
                }
            }
            return nodes;
        }
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            var cl = Main.commandLine();
            cl.setOut(new java.io.PrintWriter(o, true));
            cl.setErr(new java.io.PrintWriter(e, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] args : new String[][] {{"--help"}, {"setup", "--help"}, {"detect", "--help"}, {"compare", "--help"},
            {"identify", "--help"}, {"demo", "--help"}, {"gallery", "--help"}, {"evaluate", "--help"}, {"bench", "--help"}, {"bench", "engine", "--help"},
            {"bench", "faults", "--help"}, {"bench", "cluster", "--help"}, {"cluster", "restart", "--help"}}) {
            Run r = run(args);
            assertEquals(0, r.exit(), String.join(" ", args));
            assertTrue(r.out().contains("Usage:"), String.join(" ", args) + " prints usage");
        }
    }

    /** picocli prints each description element as a line of its own; the source lines are joined into paragraphs. */
    @Test
    void everyHelpTextIsASummaryAndOneParagraph() {
        List<String> broken = new ArrayList<>();
        checkParagraphs(Main.commandLine(), broken);
        assertEquals(List.of(), broken);
        Run r = run("train", "--help");
        assertTrue(r.out().contains("Each image is detected and aligned once; P identities x K faces per batch,"
                + System.lineSeparator() + "semi-hard negatives (alpha 0.2), Adam"), r.out());
    }

    private static void checkParagraphs(picocli.CommandLine cl, List<String> broken) {
        var spec = cl.getCommandSpec();
        if (spec.usageMessage().description().length > 2) {
            broken.add(spec.qualifiedName());
        }
        for (var a : spec.args()) {
            if (a.description().length > 1) {
                broken.add(spec.qualifiedName() + " " + a.paramLabel());
            }
        }
        for (picocli.CommandLine sub : cl.getSubcommands().values()) {
            checkParagraphs(sub, broken);
        }
    }

    @Test
    void clusterCommandsOnAFolderWithoutAClusterSaySo(@TempDir Path dir) throws Exception {
        for (String[] args : new String[][] {{"status"}, {"down"}, {"kill", "taskmanager-1"}, {"restart", "kafka-2"}}) {
            List<String> line = new java.util.ArrayList<>(List.of("cluster", args[0], "--dir", dir.toString()));
            line.addAll(List.of(args).subList(1, args.length));
            Run r = run(line.toArray(String[]::new));
            assertTrue(r.exit() != 0, line + " fails");
            assertTrue(r.err().contains("no cluster was started in " + dir), line + ": " + r.err());
        }
    }

    @Test
    void demoRefusesAGalleryThatIsNotAFolderBeforeStartingAnything(@TempDir Path dir) {
        Path missing = dir.resolve("people");
        Run r = run("demo", "--gallery", missing.toString(), "--data-dir", dir.resolve("demo").toString(), "--until-end");
        assertTrue(r.exit() != 0);
        assertTrue(r.err().contains("--gallery " + missing + " is not a folder; give a folder with one sub-folder of photos"
                + " per person"), r.err());
        assertFalse(r.err().contains("kafka: broker"), "no broker was started: " + r.err());
        assertFalse(Files.exists(dir.resolve("demo")), "nothing was written");
    }

    @Test
    void detectJsonMatchesTheReferenceBoxAndLandmarks() throws Exception {
        Path img = LfwImages.get("Aaron_Eckhart_0001").get(0);
        Run r = run("detect", "--json", "--embed", img.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode o = r.json().get(0);
        assertEquals(img.toString(), o.get("image").asText());
        assertEquals(250, o.get("width").asInt());
        assertEquals(250, o.get("height").asInt());
        assertEquals(1, o.get("faces").size());
        JsonNode f = o.get("faces").get(0);
        // golden_e2e.json: img0 final box (1-based) minus 1, and its landmarks
        double[] box = {79.2609, 68.9396, 162.3374, 176.4376};
        for (int i = 0; i < 4; i++) {
            assertEquals(box[i], f.get("box").get(i).asDouble(), 0.01, "box[" + i + "]");
        }
        assertEquals(5, f.get("landmarks").size());
        assertEquals(106.6172, f.get("landmarks").get(0).get(0).asDouble(), 0.01);
        assertEquals(155.4778, f.get("landmarks").get(4).get(1).asDouble(), 0.01);
        assertTrue(f.get("landmarks").get(0).get(0).asDouble() < f.get("landmarks").get(1).get(0).asDouble(),
                "image-left eye comes first");
        assertEquals(192, f.get("embedding").size());
        double norm = 0;
        for (JsonNode v : f.get("embedding")) {
            norm += v.asDouble() * v.asDouble();
        }
        assertEquals(1.0, norm, 1e-4);
    }

    @Test
    void compareSaysSameForOnePersonAndDifferentForAnother() throws Exception {
        List<Path> p = LfwImages.get("George_W_Bush_0001", "George_W_Bush_0002", "Aaron_Eckhart_0001");
        Run r = run("compare", "--json", p.get(0).toString(), p.get(1).toString(), p.get(2).toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode o = r.json().get(0);
        assertEquals("mobilefacenet-192", o.get("model").asText());
        double t = o.get("threshold").asDouble();
        JsonNode d = o.get("distances");
        assertEquals(0.0, d.get(0).get(0).asDouble(), 1e-6);
        assertEquals(d.get(0).get(1).asDouble(), d.get(1).get(0).asDouble(), 1e-9);
        assertTrue(d.get(0).get(1).asDouble() <= t, "same person within the threshold: " + d);
        assertTrue(d.get(0).get(2).asDouble() > t, "different people beyond it: " + d);
        assertTrue(d.get(1).get(2).asDouble() > t, "different people beyond it: " + d);
    }

    @Test
    void compareFindsTheWholeFaceInPhotosTheFaceFills(@TempDir Path dir) throws Exception {
        // Extended Yale B crops the face to the frame (training people only). In the first photo the plain detection
        // finds no face, in the second only a part of one
        List<String> names = List.of("yaleB02/yaleB02_0001.jpg", "yaleB02/yaleB02_0045.jpg", "yaleB03/yaleB03_0001.jpg");
        LfwImages.extract("data/yaleb.tgz", dir, names.stream().map(n -> "yaleb/" + n).toList());
        List<String> args = new ArrayList<>(List.of("compare", "--json"));
        names.forEach(n -> args.add(dir.resolve("yaleb").resolve(n).toString()));
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.err().contains("no face found"), r.err());
        JsonNode o = r.json().get(0);
        double t = o.get("threshold").asDouble();
        JsonNode d = o.get("distances");
        assertTrue(d.get(0).get(1).isNumber() && d.get(0).get(1).asDouble() <= t, "one person under two lights: " + d);
        assertTrue(d.get(0).get(2).asDouble() > t, "two people: " + d);
        assertTrue(d.get(1).get(2).asDouble() > t, "two people: " + d);

        Path grey = dir.resolve("grey.png");
        ImageIO.write(new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB), "png", grey.toFile());
        Run none = run("compare", grey.toString(), args.get(2));
        assertEquals(1, none.exit());
        assertTrue(none.err().contains("grey.png: no face found (nor with a border, equalised, or at a tenth of the "
                + "detector's confidence)"), none.err());
    }

    @Test
    void identifyNamesEnrolledPeopleAndCallsOthersUnknown(@TempDir Path dir) throws Exception {
        List<Path> p = LfwImages.get("George_W_Bush_0001", "George_W_Bush_0002", "George_W_Bush_0003",
                "Colin_Powell_0001", "Colin_Powell_0002", "Aaron_Eckhart_0001");
        Path gallery = dir.resolve("gallery");
        Files.createDirectories(gallery.resolve("bush"));
        Files.createDirectories(gallery.resolve("powell"));
        Files.copy(p.get(0), gallery.resolve("bush/a.jpg"));
        Files.copy(p.get(1), gallery.resolve("bush/b.jpg"));
        Files.copy(p.get(3), gallery.resolve("powell/a.jpg"));
        Run r = run("identify", "--json", "--gallery", gallery.toString(), p.get(2).toString(), p.get(4).toString(), p.get(5).toString());
        assertEquals(0, r.exit(), r.err());
        List<JsonNode> out = r.json();
        assertEquals(3, out.size());
        assertEquals("bush", out.get(0).get("faces").get(0).get("identity").asText());
        assertEquals("powell", out.get(1).get("faces").get(0).get("identity").asText());
        assertTrue(out.get(2).get("faces").get(0).get("identity").isNull(), "Aaron Eckhart is not enrolled: " + out.get(2));
    }

    @Test
    void badInputGetsASentenceNotAStackTrace(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.jpg");
        Files.writeString(text, "this is not an image");
        Path grey = dir.resolve("grey.png");
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                img.setRGB(x, y, 0x808080);
            }
        }
        ImageIO.write(img, "png", grey.toFile());

        Run onlyBad = run("detect", text.toString(), dir.resolve("missing.jpg").toString());
        assertEquals(1, onlyBad.exit());
        assertTrue(onlyBad.err().contains("notes.jpg: not an image"), onlyBad.err());
        assertTrue(onlyBad.err().contains("missing.jpg: no such file"), onlyBad.err());
        assertFalse(onlyBad.err().contains("\tat "), "no stack trace: " + onlyBad.err());

        Run mixed = run("detect", "--json", text.toString(), grey.toString());
        assertEquals(0, mixed.exit(), mixed.err());
        List<JsonNode> out = mixed.json();
        assertTrue(out.get(0).has("error"));
        assertEquals(0, out.get(1).get("faces").size());

        Run badModel = run("compare", "--model", "resnet", grey.toString(), grey.toString());
        assertEquals(2, badModel.exit());
        assertTrue(badModel.err().contains("mobilefacenet"), "lists the accepted models: " + badModel.err());

        // Options are checked before the gallery reaches for a broker.
        Run badGap = run("gallery", "--bootstrap", "127.0.0.1:9", "--session-gap", "soon");
        assertEquals(2, badGap.exit());
        assertTrue(badGap.err().contains("--session-gap must be a duration such as 500ms, 10s"), badGap.err());
        Run noPort = run("gallery", "--bootstrap", "kafka");
        assertEquals(2, noPort.exit());
        assertTrue(noPort.err().contains("host:port"), noPort.err());
    }

    @Test
    void samplesNeedNoImageArgumentAndEachHasAFace(@TempDir Path dir) throws Exception {
        Run r = run("detect", "--json", "--samples", "--annotate", dir.toString());
        assertEquals(0, r.exit(), r.err());
        List<JsonNode> out = r.json();
        assertEquals(6, out.size());
        for (JsonNode o : out) {
            assertTrue(o.get("faces").size() >= 1, "a face in " + o.get("image"));
            String name = Path.of(o.get("image").asText()).getFileName().toString().replace(".jpg", ".annotated.jpg");
            assertTrue(Files.exists(dir.resolve(name)), name);
        }
        Run none = run("detect");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("--samples"), none.err());
    }

    @Test
    void annotateWritesAPicture(@TempDir Path dir) throws Exception {
        Path img = LfwImages.get("George_W_Bush_0001").get(0);
        Path out = dir.resolve("annotated.png");
        Run r = run("detect", "--annotate", out.toString(), img.toString());
        assertEquals(0, r.exit(), r.err());
        BufferedImage written = ImageIO.read(out.toFile());
        assertEquals(250, written.getWidth());
        assertTrue(r.out().contains("1 face"), r.out());
    }
}
