package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommandTest {

    @Test
    void groupsThreePeopleIntoTheirOwnGroupsWithFoldersJsonAndSheets(@TempDir Path dir) throws Exception {
        List<Path> lfw = LfwImages.get("George_W_Bush_0001", "George_W_Bush_0002", "George_W_Bush_0003", "George_W_Bush_0004",
                "Colin_Powell_0001", "Colin_Powell_0002", "Colin_Powell_0003",
                "Tony_Blair_0001", "Tony_Blair_0002", "Tony_Blair_0003");
        Path faces = dir.resolve("faces");
        for (Path p : lfw) {
            Path to = faces.resolve(p.getParent().getFileName().toString()).resolve(p.getFileName().toString());
            Files.createDirectories(to.getParent());
            Files.copy(p, to);
        }
        Path out = dir.resolve("groups");
        Path json = dir.resolve("groups.json");
        Path sheets = dir.resolve("sheets");
        Path cache = dir.resolve("faces.fsvf");
        CliTest.Run r = CliTest.run("group", "--images", faces.toString(), "--out", out.toString(), "--json", json.toString(),
                "--sheet", sheets.toString(), "--cache", cache.toString(), "--method", "all", "--quiet");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isRegularFile(cache), "the embeddings are kept for the next run");

        JsonNode top = Json.MAPPER.readTree(json.toFile());
        assertEquals(10, top.get("faces").asInt());
        JsonNode consensus = top.get("methods").get(0);
        assertEquals("consensus", consensus.get("method").asText());
        assertEquals(3, consensus.get("groups").asInt(), r.out());
        assertEquals(1.0, consensus.get("scores").get("pairwiseF").asDouble(), 1e-12, r.out());
        assertEquals(1.0, consensus.get("scores").get("bcubedF").asDouble(), 1e-12, r.out());
        Set<String> people = new HashSet<>();
        for (JsonNode g : consensus.get("members")) {
            Set<String> inGroup = new HashSet<>();
            g.get("images").forEach(i -> inGroup.add(Path.of(i.asText()).getName(0).toString()));
            assertEquals(1, inGroup.size(), "one person per group: " + g);
            people.addAll(inGroup);
        }
        assertEquals(Set.of("George_W_Bush", "Colin_Powell", "Tony_Blair"), people);
        assertEquals(4, consensus.get("members").get(0).get("size").asInt(), "the largest group first: Bush's four");
        assertEquals(List.of("consensus", "dbscan", "whispers"),
                Stream.of(0, 1, 2).map(i -> top.get("methods").get(i).get("method").asText()).toList());

        Path bush = out.resolve("consensus").resolve("group-0001");
        try (Stream<Path> s = Files.list(bush)) {
            List<Path> files = s.toList();
            assertEquals(4, files.size());
            for (Path f : files) {
                assertTrue(f.getFileName().toString().startsWith("George_W_Bush_"), f.toString());
                assertTrue(Files.isSymbolicLink(f) || Files.isRegularFile(f));
                assertTrue(Files.size(f) > 1000, "the link leads to the image");
            }
        }
        for (String m : List.of("consensus", "dbscan", "whispers")) {
            assertTrue(Files.isDirectory(out.resolve(m).resolve("group-0001")), m);
        }
        BufferedImage sheet = ImageIO.read(sheets.resolve("consensus").resolve("group-0001.png").toFile());
        assertTrue(sheet.getWidth() >= 4 * 96 && sheet.getHeight() > 96, "four thumbnails in a row: " + sheet.getWidth());
        assertTrue(Files.isRegularFile(sheets.resolve("consensus").resolve("group-0003.png")));
        assertTrue(r.out().contains("pairwise P / R / F"), r.out());

        CliTest.Run again = CliTest.run("group", "--images", faces.toString(), "--out", out.toString(), "--cache", cache.toString(), "--quiet");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("read from the cache"), again.out());
        try (Stream<Path> s = Files.list(out.resolve("consensus"))) {
            assertEquals(3, s.count(), "a second run replaces the groups of the first");
        }
    }

    @Test
    void crossCheckGroupsEachHalfUnderThresholdsPickedOnTheOtherPeoplesPairs(@TempDir Path dir) throws Exception {
        List<Path> lfw = LfwImages.get("George_W_Bush_0001", "George_W_Bush_0002", "George_W_Bush_0003", "George_W_Bush_0004",
                "Colin_Powell_0001", "Colin_Powell_0002", "Colin_Powell_0003",
                "Tony_Blair_0001", "Tony_Blair_0002", "Tony_Blair_0003",
                "Gerhard_Schroeder_0001", "Gerhard_Schroeder_0002", "Gerhard_Schroeder_0003");
        Path faces = dir.resolve("faces");
        for (Path p : lfw) {
            Path to = faces.resolve(p.getParent().getFileName().toString()).resolve(p.getFileName().toString());
            Files.createDirectories(to.getParent());
            Files.copy(p, to);
        }
        // Folds 1-2 show Bush and Powell, folds 3-4 Blair and Schroeder, as LFW's folds keep people apart.
        Path pairs = dir.resolve("pairs.txt");
        Files.write(pairs, List.of("4\t1",
                "George_W_Bush\t1\t2", "George_W_Bush\t3\tColin_Powell\t1",
                "Colin_Powell\t2\t3", "George_W_Bush\t4\tColin_Powell\t2",
                "Tony_Blair\t1\t2", "Tony_Blair\t3\tGerhard_Schroeder\t1",
                "Gerhard_Schroeder\t2\t3", "Tony_Blair\t1\tGerhard_Schroeder\t2"));
        Path json = dir.resolve("groups.json");
        CliTest.Run r = CliTest.run("group", "--images", faces.toString(), "--out", dir.resolve("groups").toString(),
                "--json", json.toString(), "--cache", dir.resolve("faces.fsvf").toString(), "--method", "consensus,dbscan",
                "--cross-check", pairs.toString(), "--quiet");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("thresholds from folds 1-2 (2 people)"), r.out());

        JsonNode halves = Json.MAPPER.readTree(json.toFile()).get("crossCheck").get("halves");
        assertEquals(2, halves.size());
        assertEquals("1-2", halves.get(0).get("thresholdFolds").asText());
        assertEquals(6, halves.get(0).get("faces").asInt(), "Blair's and Schroeder's faces are grouped: " + r.out());
        assertEquals(7, halves.get(1).get("faces").asInt(), "Bush's and Powell's faces are grouped: " + r.out());
        for (JsonNode h : halves) {
            assertEquals(2, h.get("people").asInt());
            double t = h.get("thresholds").get("mobilefacenet").asDouble();
            assertTrue(t > 0 && t < 4 && t != io.facestream.recognize.engine.FaceModel.MOBILEFACENET.threshold(), h.toString());
            JsonNode consensus = h.get("methods").get(0);
            assertEquals("consensus", consensus.get("method").asText());
            assertEquals(1.0, consensus.get("heldOutThresholds").get("scores").get("bcubedPrecision").asDouble(), 1e-12,
                    "no two people in one group: " + r.out());
            assertEquals(1.0, consensus.get("defaultThresholds").get("scores").get("pairwiseF").asDouble(), 1e-12, r.out());
            assertEquals("dbscan", h.get("methods").get(1).get("method").asText());
        }
        assertTrue(halves.get(0).get("thresholds").get("dlib").asDouble() != halves.get(1).get("thresholds").get("dlib").asDouble(),
                "each half picks its own thresholds");
    }

    @Test
    void anUnknownMethodIsASentence() {
        CliTest.Run r = CliTest.run("group", "--images", ".", "--method", "kmeans");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("consensus, dbscan, whispers or all"), r.err());
    }
}
