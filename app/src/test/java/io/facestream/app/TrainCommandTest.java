package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facestream.recognize.weights.WeightStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code facestream train} end to end on a few real faces, gated on held-out people and on a general set made
 * by {@code general-pairs}, with distillation; its model opened by {@code compare --model DIR}.
 */
class TrainCommandTest {

    private static final List<String> PEOPLE = List.of("yaleB01", "yaleB02", "yaleB04", "yaleB06");

    @TempDir
    Path tmp;

    @Test
    void trainsGatesSavesAndTheSavedModelOpens() throws Exception {
        Path images = yaleSample();
        List<Path> clips = GeneralPairsCommandTest.smallClips();
        Path general = tmp.resolve("general");
        CliTest.Run g = CliTest.run("general-pairs", "--videos", clips.get(0) + "," + clips.get(1), "--out", general.toString(),
                "--min-gap", "0.2", "--folds", "2", "--per-track", "2", "--min-face-px", "20", "--threads", "2");
        assertEquals(0, g.exit(), g.out() + g.err());
        Path out = tmp.resolve("run");
        Path keep = WeightStore.defaultStore().root().resolve("sample-gallery");
        CliTest.Run r = CliTest.run("train", "--images", images.toString(), "--holdout", "2", "--val-pairs-per-fold", "1",
                "--general-pairs", general.resolve("pairs.txt").toString(), "--general-images", general.toString(),
                "--distill", "0.5", "--out", out.toString(), "--steps", "3", "--eval-every", "3", "--p", "2", "--k", "3",
                "--keep-faces", keep.toString(), "--keep-weight", "2", "--keep-per-step", "2", "--keep-relit", "0.5",
                "--warmup", "2", "--threads", "2");
        assertTrue(r.exit() == 0 || r.exit() == 1, r.out() + r.err());
        assertTrue(r.out().contains("held out 2 people for the gate"), r.out());
        assertTrue(r.out().contains("step     3/3"), r.out());
        assertTrue(r.out().contains("gate  step 3:"), r.out());
        for (String f : List.of("train-log.json", "training-curve.png", "val-pairs.txt", "checkpoint/model.json",
                "checkpoint/weights.params")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonNode log = Json.MAPPER.readTree(out.resolve("train-log.json").toFile());
        assertEquals(3, log.get("steps").size());
        // held out by difficulty (the default): of the 4 people ranked hardest first, the 2nd and the 4th
        assertTrue(r.out().contains("people by difficulty"), r.out());
        JsonNode difficulty = log.get("settings").get("difficulty");
        assertEquals(4, difficulty.size());
        List<String> ranked = new java.util.ArrayList<>(PEOPLE);
        ranked.sort(java.util.Comparator.comparing((String p) -> -difficulty.get(p).asDouble())
                .thenComparing(java.util.Comparator.naturalOrder()));
        List<String> held = new java.util.ArrayList<>();
        log.get("settings").get("held_out_people").forEach(n -> held.add(n.asText()));
        assertEquals(java.util.stream.Stream.of(ranked.get(1), ranked.get(3)).sorted().toList(), held);
        difficulty.forEach(d -> assertTrue(d.asDouble() >= 0 && d.asDouble() <= 1, difficulty.toString()));
        // the one-photo person is neither ranked nor held out, and is trained on: 5 people less the 2 held out
        assertTrue(difficulty.get("solo") == null, difficulty.toString());
        assertEquals(3, log.get("settings").get("train_people").asInt());
        assertEquals(2, log.get("evaluations").size());
        assertEquals(0, log.get("evaluations").get(0).get("step").asInt());
        // the first step sees the starting weights: no drift yet, so no distillation loss
        assertEquals(0, log.get("steps").get(0).get("drift").asDouble(), 1e-9);
        JsonNode last = log.get("steps").get(2);
        assertEquals(0.5 * last.get("drift").asDouble(), last.get("distill_loss").asDouble(), 1e-6);
        assertEquals(12, log.get("evaluations").get(1).get("general").get("pairs").asInt());
        assertEquals(0, log.get("evaluations").get(0).get("general_drift").asDouble(), 0);
        boolean movedBefore3 = log.get("steps").get(0).get("updated").asBoolean()
                || log.get("steps").get(1).get("updated").asBoolean();
        boolean moved = movedBefore3 || log.get("steps").get(2).get("updated").asBoolean();
        assertEquals(moved, log.get("evaluations").get(1).get("general_drift").asDouble() > 0, log.toString());
        assertEquals(r.exit() == 0, Files.isDirectory(out.resolve("best")));
        JsonNode record = Json.MAPPER.readTree(out.resolve("checkpoint/model.json").toFile());
        String id = record.get("id").asText();
        assertEquals(0.5, record.get("training").get("distill_weight").asDouble(), 0);
        // the sample gallery's faces were held near the public model: nothing to hold at the first step
        int keptFaces;
        try (Stream<Path> s = Files.walk(keep)) {
            keptFaces = (int) s.filter(f -> f.toString().endsWith(".jpg") && !f.getParent().equals(keep)).count();
        }
        assertEquals(keptFaces, record.get("training").get("kept_faces").asInt());
        assertEquals(2, record.get("training").get("kept_weight").asDouble(), 0);
        assertEquals(0.5, record.get("training").get("kept_relit").asDouble(), 0);
        assertEquals(2, record.get("training").get("warmup_steps").asInt());
        assertTrue(r.out().contains("50% relit") && r.out().contains("after a warm-up of 2 updates"), r.out());
        assertEquals(0, log.get("steps").get(0).get("kept_drift").asDouble(), 1e-9);
        // at step 3 the kept faces have moved if the weights have; a relit one measures more than movement
        assertTrue(!movedBefore3 || log.get("steps").get(2).get("kept_drift").asDouble() > 0, log.toString());

        // Yale B's tight crops leave MTCNN no context (evaluate falls back); compare needs detectable faces
        Path gallery = WeightStore.defaultStore().root().resolve("sample-gallery");
        Path a = gallery.resolve("picture-1/picture-face.jpg");
        Path b = gallery.resolve("picture-2/picture-face.jpg");
        CliTest.Run c = CliTest.run("compare", "--json", "--model", out.resolve("checkpoint").toString(), a.toString(), b.toString());
        assertEquals(0, c.exit(), c.err());
        JsonNode o = c.json().get(0);
        assertEquals(id, o.get("model").asText());
        assertTrue(o.get("distances").get(0).get(1).asDouble() > 0);
    }

    @Test
    void refusesWhatItCannotTrain() {
        CliTest.Run r = CliTest.run("train", "--images", tmp.resolve("nowhere").toString(), "--out", tmp.resolve("o").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("is not a folder"), r.err());
        CliTest.Run d = CliTest.run("train", "--model", "dlib", "--images", tmp.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, d.exit());
        assertTrue(d.err().contains("only MobileFaceNet is trainable"), d.err());
        CliTest.Run k = CliTest.run("train", "--images", tmp.toString(), "--general-pairs", tmp.resolve("p.txt").toString(),
                "--general-images", tmp.toString(), "--keep-faces", tmp.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, k.exit());
        assertTrue(k.err().contains("--keep-faces is the gate's --general-images"), k.err());
        CliTest.Run relit = CliTest.run("train", "--images", tmp.toString(), "--keep-relit", "0.5", "--out",
                tmp.resolve("o").toString());
        assertEquals(2, relit.exit());
        assertTrue(relit.err().contains("give --keep-faces DIR as well"), relit.err());
        CliTest.Run dark = CliTest.run("train", "--images", tmp.toString(), "--keep-faces", tmp.toString(), "--keep-relit",
                "0.5", "--brightness", "0", "--out", tmp.resolve("o").toString());
        assertEquals(2, dark.exit());
        assertTrue(dark.err().contains("there is none"), dark.err());
        CliTest.Run join = CliTest.run("train", "--images", tmp.toString(), "--join-lineages", "--out",
                tmp.resolve("o").toString());
        assertEquals(2, join.exit());
        assertTrue(join.err().contains("no tracks to join"), join.err());
        CliTest.Run early = CliTest.run("train", "--images", tmp.toString(), "--publish-when-kept", "--out",
                tmp.resolve("o").toString());
        assertEquals(2, early.exit());
        assertTrue(early.err().contains("offline training publishes nothing"), early.err());
        CliTest.Run m = CliTest.run("compare", "--model", tmp.toString(), "a.jpg", "b.jpg");
        assertEquals(2, m.exit());
        assertTrue(m.err().contains("without a model.json"), m.err());
    }

    /** 6 images of each of 4 Yale B training people, extracted from the shared archive, and a person with one. */
    private Path yaleSample() throws Exception {
        Path x = tmp.resolve("x");
        LfwImages.extract("data/yaleb.tgz", x, PEOPLE.stream().map(p -> "yaleb/" + p).toList());
        Path images = tmp.resolve("images");
        for (String p : PEOPLE) {
            Files.createDirectories(images.resolve(p));
            try (Stream<Path> s = Files.list(x.resolve("yaleb").resolve(p))) {
                for (Path f : s.sorted().limit(6).toList()) {
                    Files.copy(f, images.resolve(p).resolve(f.getFileName()));
                }
            }
        }
        // a person with a single photo, as many folders in LFW's layout have
        Files.createDirectories(images.resolve("solo"));
        Files.copy(images.resolve(PEOPLE.get(0)).resolve(PEOPLE.get(0) + "_0001.jpg"), images.resolve("solo/solo_0001.jpg"));
        return images;
    }
}
