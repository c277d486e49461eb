package io.facestream.train.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facestream.core.event.HardExample.LabelSource;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.eval.PairsFile;
import io.facestream.train.buffer.BufferedFace;
import io.facestream.train.buffer.ReplayBuffer;
import io.facestream.train.data.FaceCropper;
import io.facestream.train.data.LabelledFolder;
import io.facestream.train.gate.HeldOutPairs;
import io.facestream.train.gate.ValidationGate;
import io.facestream.train.gate.ValidationSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real faces for the trainer's tests: Extended Yale B training people (never its test people) extracted
 * with {@code tar} from the shared archive into target/, detected and aligned once per JVM.
 */
public final class YaleFaces {

    /** Four training people: with {@link #trainingCrops()} they fill exactly one 4×4 batch. */
    public static final List<String> TRAIN = List.of("yaleB08", "yaleB09", "yaleB10", "yaleB11");

    /** Five other training people, whose held-out pairs the gate judges by ({@link #gate}). */
    public static final List<String> GATE = List.of("yaleB01", "yaleB02", "yaleB04", "yaleB06", "yaleB07");

    private static final Map<String, Map<Path, FaceCrop>> CACHE = new LinkedHashMap<>();

    private YaleFaces() {
    }

    /** Four faces of each {@link #TRAIN} person (every 9th image, so that the light varies among them). */
    public static Map<String, List<FaceCrop>> trainingCrops() throws IOException, InterruptedException {
        return crops(TRAIN, 4, 9);
    }

    /** A gate on the {@link #GATE} people's pairs, with no general set. */
    public static ValidationGate gate(Path tmp) throws IOException, InterruptedException {
        return new ValidationGate(gateSet(GATE, tmp), null, ValidationGate.DEFAULT_GENERAL_TOLERANCE);
    }

    /** Puts every crop in the buffer as a confirmed face of its person. */
    public static void fill(ReplayBuffer buffer, Map<String, List<FaceCrop>> crops) throws IOException {
        for (Map.Entry<String, List<FaceCrop>> e : crops.entrySet()) {
            for (FaceCrop c : e.getValue()) {
                buffer.add(e.getKey(), LabelSource.CONFIRMED, c.size(), BufferedFace.toBytes(c));
            }
        }
    }

    /** The shared archive; skips the calling test, with the reason printed, only where it is absent. */
    public static Path archive() {
        String p = System.getProperty("facestream.shared");
        Path root = p != null ? Path.of(p) : Path.of("..", "..", "shared");
        Path tgz = root.resolve("data").resolve("yaleb.tgz");
        if (!Files.isRegularFile(tgz)) {
            String why = "skipped: " + tgz + " not found (the shared data folder is absent)";
            System.out.println(why);
            assumeTrue(false, why);
        }
        return tgz;
    }

    /** The extracted folder holding the given people (LFW layout). */
    public static Path extract(List<String> people) throws IOException, InterruptedException {
        Path out = Path.of("target", "yaleb-sample").toAbsolutePath();
        List<String> missing = new ArrayList<>();
        for (String person : people) {
            if (!Files.isDirectory(out.resolve("yaleb").resolve(person))) {
                missing.add("yaleb/" + person);
            }
        }
        if (!missing.isEmpty()) {
            Files.createDirectories(out);
            List<String> cmd = new ArrayList<>(List.of("tar", "xzf", archive().toString(), "-C", out.toString()));
            cmd.addAll(missing);
            Process tar = new ProcessBuilder(cmd).inheritIO().start();
            if (tar.waitFor() != 0) {
                throw new IOException("tar could not extract " + missing + " from " + archive());
            }
        }
        return out.resolve("yaleb");
    }

    /**
     * Aligned MobileFaceNet crops of the first {@code perPerson} images (every {@code stride}-th) of each
     * person, by person; the images keep their order.
     */
    public static Map<String, List<FaceCrop>> crops(List<String> people, int perPerson, int stride)
            throws IOException, InterruptedException {
        return crops(people, perPerson, stride, 0);
    }

    /** As {@link #crops(List, int, int)}, starting at each person's image {@code first} (0-based). */
    public static synchronized Map<String, List<FaceCrop>> crops(List<String> people, int perPerson, int stride,
            int first) throws IOException, InterruptedException {
        Path root = extract(people);
        LabelledFolder folder = LabelledFolder.open(root, people);
        List<Path> wanted = new ArrayList<>();
        Map<String, List<Path>> byPerson = new LinkedHashMap<>();
        for (String p : people) {
            List<Path> all = folder.images(p);
            List<Path> chosen = new ArrayList<>();
            for (int i = first; i < all.size() && chosen.size() < perPerson; i += stride) {
                chosen.add(all.get(i));
            }
            byPerson.put(p, chosen);
            wanted.addAll(chosen);
        }
        Map<Path, FaceCrop> crops = cropAll(wanted);
        Map<String, List<FaceCrop>> out = new LinkedHashMap<>();
        byPerson.forEach((p, files) -> out.put(p, files.stream().map(crops::get).toList()));
        return out;
    }

    /** Crops of the given images (cached per JVM). */
    public static synchronized Map<Path, FaceCrop> cropAll(List<Path> images) {
        String key = images.toString();
        Map<Path, FaceCrop> cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        try (FaceEngine engine = FaceEngine.open(EngineOptions.defaults())) {
            FaceCropper.Result r = new FaceCropper(engine, FaceModel.MOBILEFACENET).crop(images, k -> { });
            if (!r.failed().isEmpty()) {
                throw new IllegalStateException("could not read " + r.failed());
            }
            CACHE.put(key, r.crops());
            return r.crops();
        }
    }

    /** A small gate set: 8 images of each of {@code people} copied under {@code tmp/gate}, LFW-format pairs over them. */
    public static ValidationSet gateSet(List<String> people, Path tmp) throws IOException, InterruptedException {
        Path source = extract(people);
        Path folder = tmp.resolve("gate");
        for (String p : people) {
            Files.createDirectories(folder.resolve(p));
            List<Path> all = LabelledFolder.open(source, List.of(p)).images(p);
            for (int i = 0; i < 8; i++) {
                Path img = all.get(i * 7);
                Files.copy(img, folder.resolve(p).resolve(img.getFileName()));
            }
        }
        Path pairsFile = tmp.resolve("gate-pairs.txt");
        Files.write(pairsFile, HeldOutPairs.make(LabelledFolder.open(folder, people), 10, 6, 11), StandardCharsets.UTF_8);
        PairsFile pairs = PairsFile.read(pairsFile, folder);
        return new ValidationSet("gate", pairs, cropAll(pairs.images()));
    }
}
