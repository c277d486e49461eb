package io.facestream.app;

import io.facestream.core.codec.Codec;
import io.facestream.core.event.MatchEvent;
import io.facestream.ingest.IngestOptions;
import io.facestream.recognize.eval.ProgressBar;
import io.facestream.recognize.group.GroupingScores;
import io.facestream.recognize.group.Groups;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How well the stream groups unknown people, measured: photos of people no gallery holds are rendered as a camera
 * video in which every photo is a track of its own and people come back in rounds, as returning visitors would; the
 * video goes through the whole local stack with an empty gallery, and the unknown group each track was given is
 * scored against who was in the photo, as {@code group} scores a folder (pairwise and BCubed, over tracks), beside
 * what the stream gives without grouping (every track a person of its own).
 */
@Command(name = "unknowns", mixinStandardHelpOptions = true,
        description = {"Score the unknown-<n> groups the job gives people no gallery holds against who they are.",
            "Streams photos of such people (each photo a track, people returning in rounds) through the local stack."})
final class UnknownsBenchCommand implements Callable<Integer> {

    @Option(names = "--images", paramLabel = "DIR", required = true,
            description = "Labelled photos, one sub-folder per person (LFW's layout).")
    Path images;

    @Option(names = "--people", paramLabel = "N", defaultValue = "20",
            description = "People to show, drawn at random among those with enough photos (default: ${DEFAULT-VALUE}).")
    int people;

    @Option(names = "--photos", paramLabel = "M", defaultValue = "4",
            description = "Photos of each person, one per round (default: ${DEFAULT-VALUE}).")
    int photos;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the draw and the order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--frames-per-photo", paramLabel = "N", defaultValue = "5",
            description = "Frames each photo is held (default: ${DEFAULT-VALUE}).")
    int framesPerPhoto;

    @Option(names = "--gap", paramLabel = "N", defaultValue = "40",
            description = "Empty frames after each photo, more than a track's age, so that each photo is a track of its"
                + " own (default: ${DEFAULT-VALUE}).")
    int gap;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2",
            description = "Recognize subtasks (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/bench/unknowns",
            description = "Where the video, the truth and the events go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Mixin
    StreamMixin stream;

    /** A photo shown in the video: whose it is and the frames it is held (first inclusive, last exclusive). */
    record Shown(String person, Path photo, long firstFrame, long endFrame) {
    }

    @Override
    public Integer call() throws Exception {
        if (people < 2 || photos < 2 || framesPerPhoto < 1 || gap < 1 || parallelism < 1) {
            throw new IllegalArgumentException("--people and --photos must be 2 or more, --frames-per-photo, --gap and"
                    + " --parallelism 1 or more");
        }
        if (!Files.isDirectory(images)) {
            throw new IllegalArgumentException("--images " + images + " is not a folder; give one with a sub-folder per person");
        }
        if (!stream.groupUnknowns) {
            throw new IllegalArgumentException("--no-group-unknowns leaves nothing to measure here");
        }
        Files.createDirectories(out);
        List<Shown> shown = new ArrayList<>();
        List<PhotoVideo.Shot> shots = plan(shown);
        Path video = out.resolve("unknowns.mp4");
        try (ProgressBar bar = new ProgressBar(shots.size(), "shots")) {
            PhotoVideo.render(video, shots, PhotoVideo.DEFAULT_FPS, PhotoVideo.Encoder.H264, bar::step);
        }
        writeTruth(shown, out.resolve("truth.tsv"));
        PrintStream log = System.err;
        log.printf(Locale.ROOT, "%s: %d people x %d photos, each photo %d frames then %d empty%n", video, people, photos,
                framesPerPhoto, gap);

        Path events = out.resolve("matches.jsonl");
        StreamRunner.Result r;
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (LocalStack stack = LocalStack.start(out.resolve("kafka"), parallelism, DeliveryGuarantee.EXACTLY_ONCE,
                Duration.ofSeconds(1), stream.settings())) {
            try (MatchFeed feed = new MatchFeed(stack.bootstrap(), LocalStack.PARTITIONS, quiet, events)) {
                r = StreamRunner.run(stack, IngestOptions.of("bench", video.toString()).withRealtime(false), feed, true,
                        Duration.ofSeconds(120), () -> false, i -> { }, log);
            }
        }
        Score s = score(readEvents(events), shown);
        PrintStream o = System.out;
        o.printf(Locale.ROOT, "facestream unknown grouping: %d people x %d photos (%s, seed %d), %d frames in %.0f s"
                + " (%.1f frames/s)%n", people, photos, images, seed, r.summary().framesSent(),
                r.run().toMillis() / 1000.0, r.summary().framesPerSecond());
        o.printf(Locale.ROOT, "tracks scored: %d (%d photos); not scored: %d tracks of bystanders (faces away from the"
                + " middle of a photo)%n", s.tracks, shown.size(), s.strayTracks);
        o.printf("  %-30s %7s %8s %8s %8s %9s %9s %9s%n", "", "groups", "pair P", "pair R", "pair F", "BCubed P",
                "BCubed R", "BCubed F");
        line(o, "every track its own (no grouping)", s.alone);
        line(o, "unknown-<n> groups of the job", s.grouped);
        if (json != null) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("images", images.toString());
            j.put("people", people);
            j.put("photos", photos);
            j.put("seed", seed);
            j.put("frames", r.summary().framesSent());
            j.put("seconds", r.run().toMillis() / 1000.0);
            j.put("tracks", s.tracks);
            j.put("per_track", scores(s.alone));
            j.put("grouped", scores(s.grouped));
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), j);
        }
        return 0;
    }

    private List<PhotoVideo.Shot> plan(List<Shown> shown) throws Exception {
        List<String> names = new ArrayList<>();
        Map<String, List<Path>> own = new HashMap<>();
        for (Path dir : Folders.list(images, true)) {
            List<Path> p = Folders.list(dir, false);
            if (p.size() >= photos) {
                names.add(dir.getFileName().toString());
                own.put(dir.getFileName().toString(), p.subList(0, photos));
            }
        }
        if (names.size() < people) {
            throw new IllegalArgumentException(images + " has only " + names.size() + " people with " + photos
                    + " photos or more; ask for fewer --people or --photos");
        }
        Random random = new Random(seed);
        Collections.shuffle(names, random);
        List<String> chosen = new ArrayList<>(names.subList(0, people));
        List<PhotoVideo.Shot> shots = new ArrayList<>();
        long frame = 0;
        for (int round = 0; round < photos; round++) {
            Collections.shuffle(chosen, random);
            for (String name : chosen) {
                Path photo = own.get(name).get(round);
                shots.add(PhotoVideo.shot(framesPerPhoto, photo));
                shown.add(new Shown(name, photo, frame, frame + framesPerPhoto));
                shots.add(PhotoVideo.shot(gap));
                frame += framesPerPhoto + gap;
            }
        }
        return shots;
    }

    /** The scores of both labellings over the tracks that showed a photo. */
    record Score(int tracks, int strayTracks, GroupingScores alone, GroupingScores grouped) {
    }

    /**
     * How far from the middle of the picture a face may be and still be the photo's person: a photo is drawn in the
     * middle, and LFW's (deep-funneled) photos have their person's face in their middle; other faces in a photo are
     * people nobody named.
     */
    static final double CENTRE_RADIUS = 40;

    /**
     * Each track's person is the one whose photo most of its faces were in (frame sequence → photo), counting only
     * faces in the middle of the picture; a track with none there is a stray (a bystander of a photo) and not scored.
     * Its group is the unknown id of its events (the track itself when it has none).
     */
    static Score score(List<MatchEvent> events, List<Shown> shown) {
        Map<String, Map<String, Integer>> votes = new LinkedHashMap<>();
        Map<String, String> groupOf = new HashMap<>();
        for (MatchEvent e : events) {
            String track = e.cameraId() + "/" + e.trackId();
            Shown s = at(shown, e.frameSequence());
            double cx = (e.box().x1() + e.box().x2()) / 2 - PhotoVideo.WIDTH / 2.0;
            double cy = (e.box().y1() + e.box().y2()) / 2 - PhotoVideo.HEIGHT / 2.0;
            boolean central = Math.hypot(cx, cy) <= CENTRE_RADIUS;
            votes.computeIfAbsent(track, k -> new HashMap<>()).merge(s == null || !central ? "" : s.person(), 1,
                    Integer::sum);
            groupOf.putIfAbsent(track, e.unknownId() != null ? e.unknownId() : track);
        }
        List<String> truth = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> tracks = new ArrayList<>();
        int stray = 0;
        for (Map.Entry<String, Map<String, Integer>> t : votes.entrySet()) {
            String person = Collections.max(t.getValue().entrySet(), Map.Entry.comparingByValue()).getKey();
            if (person.isEmpty()) {
                stray++;
                continue;
            }
            truth.add(person);
            groups.add(groupOf.get(t.getKey()));
            tracks.add(t.getKey());
        }
        int[] people = GroupingScores.labels(truth);
        return new Score(truth.size(), stray, GroupingScores.of(Groups.of(GroupingScores.labels(tracks)), people),
                GroupingScores.of(Groups.of(GroupingScores.labels(groups)), people));
    }

    private static Shown at(List<Shown> shown, long frame) {
        for (Shown s : shown) {
            if (frame >= s.firstFrame() && frame < s.endFrame()) {
                return s;
            }
        }
        return null;
    }

    private static List<MatchEvent> readEvents(Path jsonl) throws Exception {
        Codec<MatchEvent> codec = Codec.json(MatchEvent.class);
        List<MatchEvent> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(codec.decode(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    private static void writeTruth(List<Shown> shown, Path file) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("first_frame\tend_frame\tperson\tphoto");
        for (Shown s : shown) {
            lines.add(s.firstFrame() + "\t" + s.endFrame() + "\t" + s.person() + "\t" + s.photo().getFileName());
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private static void line(PrintStream o, String name, GroupingScores s) {
        o.printf(Locale.ROOT, "  %-30s %7d %8.3f %8.3f %8.3f %9.3f %9.3f %9.3f%n", name, s.groups(), s.pairwisePrecision(),
                s.pairwiseRecall(), s.pairwiseF(), s.bcubedPrecision(), s.bcubedRecall(), s.bcubedF());
    }

    private static Map<String, Object> scores(GroupingScores s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("groups", s.groups());
        m.put("pairwise_precision", s.pairwisePrecision());
        m.put("pairwise_recall", s.pairwiseRecall());
        m.put("pairwise_f", s.pairwiseF());
        m.put("bcubed_precision", s.bcubedPrecision());
        m.put("bcubed_recall", s.bcubedRecall());
        m.put("bcubed_f", s.bcubedF());
        return m;
    }
}
