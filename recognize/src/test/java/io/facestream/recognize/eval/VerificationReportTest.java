package io.facestream.recognize.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationReportTest {

    private static VerificationReport sample() {
        double[] d = new double[6000];
        boolean[] same = new boolean[6000];
        VerificationProtocolTest.lcgDataset(42, d, same);
        return VerificationProtocol.exact().evaluate(d, same, VerificationProtocol.contiguousFolds(6000, 10))
                .withRun("mobilefacenet", true, 7701, 3, 123.4);
    }

    @Test
    void jsonHasExactlyTheFourteenKeys() throws Exception {
        VerificationReport r = sample();
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("accuracy_mean", "accuracy_std", "val_mean", "val_std", "far_mean", "auc", "eer",
                "threshold_mean", "pairs", "images", "no_face", "model", "flip", "seconds"), keys);
        assertEquals(VerificationReport.JSON_KEYS, keys);
        assertEquals(r.accuracyMean(), json.get("accuracy_mean").asDouble());
        assertEquals(6000, json.get("pairs").asInt());
        assertEquals(7701, json.get("images").asInt());
        assertEquals(3, json.get("no_face").asInt());
        assertEquals("mobilefacenet", json.get("model").asText());
        assertTrue(json.get("flip").asBoolean());
        assertEquals(123.4, json.get("seconds").asDouble());
    }

    @Test
    void summaryShowsTheHeadlineFiguresAndEveryFold() {
        String s = sample().summary();
        assertTrue(s.startsWith("verification       mobilefacenet + flip, by the LFW protocol"), s);
        assertTrue(s.contains("88.43% ± 1.18"), s);
        assertTrue(s.contains("VAL @ FAR 0.100%"), s);
        assertTrue(s.contains("7701  (no face found: 3)"), s);
        assertTrue(s.contains("(62.4 images/s)"), s);
        assertEquals(9 + 1 + 1 + 10, s.lines().count(), s); // figure lines, a blank, the fold header, 10 folds
    }
}
