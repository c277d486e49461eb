package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.recognize.engine.MultiView;
import io.facestream.recognize.eval.PairsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pairs} and {@code evaluate --views} / {@code --views-experiment} end to end on twelve real photos. */
class ViewSetCommandsTest {

    private static final List<String> PEOPLE = List.of("George_W_Bush", "Colin_Powell", "Tony_Blair", "Donald_Rumsfeld");

    @Test
    void pairsThenEveryWayOfChoosingViewsOnTheSameImages(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("set");
        StringBuilder people = new StringBuilder();
        for (String name : PEOPLE) {
            for (Path p : LfwImages.get(name + "_0001", name + "_0002", name + "_0003")) {
                Path to = images.resolve(name).resolve(p.getFileName());
                Files.createDirectories(to.getParent());
                Files.copy(p, to);
            }
            people.append(name).append("\t3\n");
        }
        Path list = dir.resolve("people.txt");
        Files.writeString(list, people);
        Path pairs = dir.resolve("pairs.txt");
        CliTest.Run made = CliTest.run("pairs", "--images", images.toString(), "--people", list.toString(),
                "--folds", "2", "--per-fold", "3", "--seed", "3", "--out", pairs.toString());
        assertEquals(0, made.exit(), made.err());
        assertTrue(made.out().contains("12 pairs (2 folds x 3 same + 3 different) over 4 people"), made.out());
        assertEquals(12, PairsFile.read(pairs, images).pairs().size());

        Path flipJson = dir.resolve("flip.json");
        Path errors = dir.resolve("errors.tsv");
        CliTest.Run flip = CliTest.run("evaluate", "--images", images.toString(), "--pairs", pairs.toString(),
                "--all", "--fusion", "folds", "--quiet", "--workers", "1", "--json", flipJson.toString(),
                "--errors", errors.toString());
        assertEquals(0, flip.exit(), flip.err());
        JsonNode all = Json.MAPPER.readTree(flipJson.toFile());
        assertEquals(8, all.size(), "six configurations and the ensemble fused by folds without and with flip");
        JsonNode ensembleFlip = all.get(5);
        JsonNode foldsFlip = all.get(7);
        assertEquals("ensemble, fusion by folds", foldsFlip.get("model").asText());
        assertTrue(foldsFlip.get("flip").asBoolean());
        assertTrue(flip.out().contains("ensemble, fusion by folds + flip: fusion ratios (dlib / MobileFaceNet) chosen on"
                + " the other folds: "), flip.out());
        assertEquals("ensemble", ensembleFlip.get("model").asText());
        assertTrue(ensembleFlip.get("flip").asBoolean());
        // Each configuration's wrongly decided pairs: as many as its accuracy leaves (2 folds of 6 pairs each).
        List<String> rows = Files.readAllLines(errors);
        assertTrue(rows.get(0).startsWith("configuration\tkind\tfold"), rows.get(0));
        for (JsonNode c : all) {
            String label = c.get("model").asText() + (c.get("flip").asBoolean() ? " + flip" : "");
            long wrong = rows.stream().skip(1).filter(r -> r.startsWith(label + "\t")).count();
            assertEquals(Math.round(12 * (1 - c.get("accuracy_mean").asDouble())), wrong, label + ": " + rows);
        }

        // The single configuration embeds through the view sets, and must find what --all found.
        Path foldsJson = dir.resolve("folds.json");
        CliTest.Run folds = CliTest.run("evaluate", "--images", images.toString(), "--pairs", pairs.toString(),
                "--model", "ensemble", "--flip", "--fusion", "folds", "--quiet", "--workers", "1", "--json", foldsJson.toString());
        assertEquals(0, folds.exit(), folds.err());
        JsonNode one = Json.MAPPER.readTree(foldsJson.toFile());
        assertEquals("ensemble, fusion by folds", one.get("model").asText());
        assertEquals(foldsFlip.get("accuracy_mean").asDouble(), one.get("accuracy_mean").asDouble(), 1e-12);
        assertEquals(foldsFlip.get("auc").asDouble(), one.get("auc").asDouble(), 1e-9);
        assertTrue(folds.out().contains(String.format(java.util.Locale.ROOT,
                "the spread ratio 6.38 on the same embeddings: %.2f%%", 100 * ensembleFlip.get("accuracy_mean").asDouble())),
                folds.out());

        Path viewsJson = dir.resolve("views.json");
        CliTest.Run views = CliTest.run("evaluate", "--images", images.toString(), "--pairs", pairs.toString(),
                "--all", "--views", "tmirror,plain", "--quiet", "--workers", "1", "--json", viewsJson.toString());
        assertEquals(0, views.exit(), views.err());
        JsonNode list3 = Json.MAPPER.readTree(viewsJson.toFile());
        assertEquals(3, list3.size());
        assertEquals("ensemble (plain+tmirror)", list3.get(2).get("model").asText());
        // The views plain and tmirror are --flip: the same distances, so the same AUC to rounding.
        assertEquals(ensembleFlip.get("auc").asDouble(), list3.get(2).get("auc").asDouble(), 1e-9);

        Path table = dir.resolve("experiment.json");
        CliTest.Run experiment = CliTest.run("evaluate", "--images", images.toString(), "--pairs", pairs.toString(),
                "--views-experiment", "--quiet", "--workers", "1", "--json", table.toString());
        assertEquals(0, experiment.exit(), experiment.err());
        JsonNode t = Json.MAPPER.readTree(table.toFile());
        assertEquals(ViewsExperiment.CANDIDATES.size(), t.get("candidates").size());
        Set<String> labels = new HashSet<>();
        for (JsonNode row : t.get("candidates")) {
            labels.add(row.get("views").asText());
            if (row.get("views").asText().equals("plain+tmirror")) {
                // Summed from the six cached views: what --flip measured.
                assertEquals(ensembleFlip.get("auc").asDouble(), row.get("ensemble").get("auc").asDouble(), 1e-9);
                assertEquals(ensembleFlip.get("accuracy_mean").asDouble(), row.get("ensemble").get("accuracy_mean").asDouble(), 1e-12);
            }
        }
        assertTrue(labels.contains(t.get("chosen").asText()), t.toString());
        assertTrue(labels.contains(MultiView.ALL.label()));
        assertTrue(experiment.out().contains("chosen: " + t.get("chosen").asText()), experiment.out());
    }

    @Test
    void viewOptionsThatContradictEachOtherAreRefusedWithASentence(@TempDir Path dir) {
        CliTest.Run both = CliTest.run("evaluate", "--images", dir.toString(), "--pairs", "x.txt", "--flip", "--views", "plain,avg");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("give one of them (--flip is --views plain,tmirror)"), both.err());
        CliTest.Run oneNetwork = CliTest.run("evaluate", "--images", dir.toString(), "--pairs", "x.txt", "--fusion", "folds",
                "--model", "dlib");
        assertEquals(2, oneNetwork.exit());
        assertTrue(oneNetwork.err().contains("--fusion folds weighs the ensemble's two networks; add --model ensemble"),
                oneNetwork.err());
        CliTest.Run unknown = CliTest.run("evaluate", "--images", dir.toString(), "--pairs", "x.txt", "--fusion", "learned");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("--fusion must be spread or folds, was learned"), unknown.err());
        CliTest.Run bad = CliTest.run("evaluate", "--images", dir.toString(), "--pairs", "x.txt", "--views", "plain,mirror");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("unknown view 'mirror'; choose from plain, tmirror, cflip, avg, avgmirror, mirrordet"), bad.err());
    }
}
