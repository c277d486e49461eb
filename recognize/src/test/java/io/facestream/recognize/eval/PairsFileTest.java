package io.facestream.recognize.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.recognize.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairsFileTest {

    private static final String TWO_FOLDS = """
            2\t2
            Ann_Lee\t1\t2
            Bob\t1 3
            Ann_Lee\t1\tBob\t2
            Cy  4   Dee 1
            Cy\t1\t2
            Dee\t2\t3
            Bob\t1\tCy\t1
            Ann_Lee\t2\tDee\t3

            """;

    @Test
    void parsesPairsFoldsAndPaths(@TempDir Path dir) throws IOException {
        Path txt = dir.resolve("pairs.txt");
        Files.writeString(txt, TWO_FOLDS);
        PairsFile pf = PairsFile.read(txt, dir.resolve("lfw"));
        assertEquals(2, pf.folds());
        assertEquals(2, pf.pairsPerClass());
        assertEquals(8, pf.pairs().size());
        assertArrayEquals(new boolean[] {true, true, false, false, true, true, false, false}, pf.labels());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1}, pf.foldIds());
        Pair diff = pf.pairs().get(3);
        assertEquals(dir.resolve("lfw/Cy/Cy_0004.jpg"), diff.a());
        assertEquals(dir.resolve("lfw/Dee/Dee_0001.jpg"), diff.b());
        assertFalse(diff.same());
        // Distinct images in order of first appearance: Ann_Lee 1, 2, Bob 1, 3, Bob 2, Cy 4, Dee 1, Cy 1, 2, Dee 2, 3.
        assertEquals(11, pf.images().size());
        assertEquals(dir.resolve("lfw/Ann_Lee/Ann_Lee_0001.jpg"), pf.images().get(0));
        assertEquals(dir.resolve("lfw/Bob/Bob_0002.jpg"), pf.images().get(4));
    }

    @Test
    void listsMissingImages(@TempDir Path dir) throws IOException {
        PairsFile pf = PairsFile.parse(TWO_FOLDS.lines().toList(), "pairs.txt", dir);
        for (Path p : pf.images()) {
            if (!p.getFileName().toString().startsWith("Dee")) {
                Files.createDirectories(p.getParent());
                Files.write(p, new byte[] {1});
            }
        }
        assertEquals(List.of(dir.resolve("Dee/Dee_0001.jpg"), dir.resolve("Dee/Dee_0002.jpg"), dir.resolve("Dee/Dee_0003.jpg")),
                pf.missingImages());
        IOException e = assertThrows(IOException.class, pf::requireImages);
        assertTrue(e.getMessage().startsWith("3 of 11 images named by the pairs file are missing under "), e.getMessage());
        assertTrue(e.getMessage().contains("Dee_0001.jpg"), e.getMessage());
    }

    @Test
    void acceptsTheSingleCountHeader() {
        PairsFile pf = PairsFile.parse(List.of("1", "Ann 1 2", "Ann 1 Bob 1"), "pairsDevTest.txt", Path.of("x"));
        assertEquals(1, pf.folds());
        assertEquals(2, pf.pairs().size());
        assertEquals(Path.of("x/Bob/Bob_0001.jpg"), pf.pairs().get(1).b());
    }

    @Test
    void reportsFormatErrorsWithFileAndLine() {
        assertEquals("pairs.txt line 3: expected 3 or 4 fields, got 2 ('Bob 1'); same-person lines are 'Name n1 n2',"
                        + " different-person lines 'Name1 n1 Name2 n2'",
                error("1 1", "Ann 1 2", "Bob 1"));
        assertEquals("pairs.txt line 2: image number of Ann 'x' is not a positive integer", error("1", "Ann x 2", "Ann 1 Bob 1"));
        assertEquals("pairs.txt line 1: expected a header 'folds pairs-per-fold' (e.g. '10 300') or a single pair count,"
                + " got 3 fields 'Ann 1 2'", error("Ann 1 2"));
        assertTrue(error("1 2", "A 1 2", "B 1 2", "A 1 B 1").startsWith("pairs.txt has 3 pairs but its header promises 4"));
        assertTrue(error("1", "A 1 2", "A 1 B 1", "C 1 2").startsWith("pairs.txt line 4: more pairs than the header promises"));
        assertEquals("pairs.txt fold 1 (from line 2) has 0 same-person and 2 different-person pairs; the header promises 1 of each",
                error("1", "A 1 B 2", "A 1 B 1"));
    }

    @Test
    void anImageGivenAsThePairsFileIsRefusedWithWhatWasExpected(@TempDir Path dir) throws IOException {
        Path jpeg = dir.resolve("photo.jpg");
        // A JPEG's first bytes: its start-of-image marker is not UTF-8.
        Files.write(jpeg, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PairsFile.read(jpeg, dir));
        assertEquals("pairs file " + jpeg + " is not a text file (it is not UTF-8); expected LFW's pairs.txt format:"
                + " a header such as '10 300', then 'Name n1 n2' and 'Name1 n1 Name2 n2' lines", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PairsMaker.readPeople(jpeg));
        assertTrue(e.getMessage().startsWith("people list " + jpeg + " is not a text file"), e.getMessage());
    }

    private static String error(String... lines) {
        return assertThrows(IllegalArgumentException.class, () -> PairsFile.parse(List.of(lines), "pairs.txt", Path.of(".")))
                .getMessage();
    }

    /** The real LFW pairs.txt: 10 folds of 300 + 300 pairs over 7701 images, all present in the archive. */
    @Test
    void readsTheRealLfwPairs() throws IOException {
        Path tgz = SharedData.require("data/lfw-deepfunneled.tgz");
        LfwArchive archive = LfwArchive.read(tgz);
        assertEquals("lfw/pairs.txt", archive.pairsPath());
        PairsFile pf = PairsFile.parse(archive.pairsText().lines().toList(), "pairs.txt", Path.of("lfw"));
        assertEquals(10, pf.folds());
        assertEquals(300, pf.pairsPerClass());
        assertEquals(6000, pf.pairs().size());
        assertEquals(3000, pf.pairs().stream().filter(Pair::same).count());
        assertEquals(7701, pf.images().size());
        assertEquals(new Pair(Path.of("lfw/Abel_Pacheco/Abel_Pacheco_0001.jpg"), Path.of("lfw/Abel_Pacheco/Abel_Pacheco_0004.jpg"), true, 0),
                pf.pairs().get(0));
        assertEquals(9, pf.pairs().get(5999).fold());
        List<Path> absent = pf.images().stream().filter(p -> !archive.files().contains(p.toString().replace('\\', '/'))).toList();
        assertEquals(List.of(), absent);
    }
}
