package io.facestream.recognize.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wrongly decided pairs are exactly those on the wrong side of their own fold's threshold. */
class PairErrorsTest {

    @Test
    void eachPairIsJudgedByItsFoldsThresholdAndTheFileListsTheMistakes(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("set");
        PairsFile pairs = PairsFile.parse(List.of("2\t2",
                "Ann\t1\t2", "Bob\t1\t2", "Ann\t3\tCid\t1", "Bob\t3\tDee\t1",
                "Eve\t1\t2", "Fay\t1\t2", "Eve\t3\tGus\t1", "Fay\t3\tHal\t1"), "pairs.txt", root);
        // Fold 0: Bob's same pair is far apart and Bob-Dee are close: both wrong under any threshold fold 1 gives
        // (fold 1 separates perfectly between 0.3 and 1.3). Fold 0 itself is best cut between 0.9 and 1.5, which
        // decides every pair of fold 1 rightly.
        double[] d = {0.1, 0.9, 1.5, 0.05, 0.2, 0.3, 1.3, 1.4};
        VerificationReport report = VerificationProtocol.exact().evaluate(pairs, d);
        List<PairErrors.PairError> wrong = PairErrors.of(pairs, d, report);
        assertEquals(2, wrong.size(), wrong.toString());
        assertEquals("false-reject", wrong.get(0).kind());
        assertEquals(root.resolve("Bob/Bob_0001.jpg"), wrong.get(0).pair().a());
        assertEquals(0.9, wrong.get(0).distance());
        assertEquals("false-accept", wrong.get(1).kind());
        assertEquals(root.resolve("Dee/Dee_0001.jpg"), wrong.get(1).pair().b());
        double t = wrong.get(0).threshold();
        assertTrue(t > 0.3 && t < 0.9, "fold 0 is judged by the cut fold 1 chose: " + t);
        assertEquals(t, report.folds().stream().filter(f -> f.fold() == wrong.get(0).pair().fold()).findFirst()
                .orElseThrow().threshold());
        assertEquals(1.0 - 2 / 8.0, report.accuracyMean(), 1e-12, "fold 0: two of four wrong; fold 1: none");

        Path file = dir.resolve("errors.tsv");
        PairErrors.append(file, root, "mobilefacenet", wrong, List.of(root.resolve("Dee/Dee_0001.jpg")));
        PairErrors.append(file, root, "dlib", List.of(), List.of());
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size(), "one header and the two mistakes: " + lines);
        assertTrue(lines.get(0).startsWith("configuration\tkind\tfold\timage_a\timage_b"), lines.get(0));
        assertTrue(lines.get(1).startsWith("mobilefacenet\tfalse-reject\t0\tBob/Bob_0001.jpg\tBob/Bob_0002.jpg\t0.9000\t"),
                lines.get(1));
        assertTrue(lines.get(2).endsWith("\tb"), "Dee's image needed the fallback crop: " + lines.get(2));
    }
}
