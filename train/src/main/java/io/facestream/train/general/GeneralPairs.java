package io.facestream.train.general;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Verification pairs from tracked faces, in LFW's {@code pairs.txt} format, deterministically (the same faces
 * give the same file).
 * <ul>
 * <li>Same person: two faces of one track at least {@code minGapSeconds} apart, so the pair is not two
 * near-identical consecutive frames; per track the farthest-apart pairs first, images not used yet first, at
 * most {@code perTrack} pairs; clips take turns, and within a clip its tracks.</li>
 * <li>Different people, sure ones first: two faces in the same frame (or photo) under different labels are two
 * people; then faces of different clips (the sample clips share no actor). Faces of two tracks of the same clip
 * in different frames are never paired: a track split by an occlusion would be one person under two labels.
 * Sources (a clip, a photo, a pair of clips) take turns, within one its label pairs, and within a label pair
 * the frames are spread over time.</li>
 * </ul>
 * As many different as same pairs; both are cut to a multiple of the fold count and dealt to the folds in turn.
 */
public final class GeneralPairs {

    /** What was made, with its counts. */
    public record Result(List<String> lines, int folds, int perFold, int sameFrameNegatives, int crossClipNegatives,
            int labelsInPairs, int imagesInPairs) {

        /** A one-line account. */
        public String summary() {
            return String.format(Locale.ROOT, "%d pairs (%d folds x %d same + %d different: %d different in the same frame,"
                    + " %d across clips) over %d labels and %d images", 2 * folds * perFold, folds, perFold, perFold,
                    sameFrameNegatives, crossClipNegatives, labelsInPairs, imagesInPairs);
        }
    }

    private record Pair(TrackedFace a, TrackedFace b) {
    }

    private final double minGapSeconds;
    private final int perTrack;
    private final int folds;

    /**
     * @param minGapSeconds least time between the two faces of a same-person pair
     * @param perTrack most same-person pairs from one track
     * @param folds cross-validation folds (10, as LFW; at least 2)
     */
    public GeneralPairs(double minGapSeconds, int perTrack, int folds) {
        if (!(minGapSeconds >= 0)) {
            throw new IllegalArgumentException("the least gap between a same-person pair's faces must be >= 0 s, was " + minGapSeconds);
        }
        if (perTrack < 1) {
            throw new IllegalArgumentException("pairs per track must be at least 1, was " + perTrack);
        }
        if (folds < 2) {
            // the LFW protocol chooses each fold's threshold on the other folds
            throw new IllegalArgumentException("the LFW protocol needs at least 2 folds, was " + folds);
        }
        this.minGapSeconds = minGapSeconds;
        this.perTrack = perTrack;
        this.folds = folds;
    }

    /** The pairs over {@code faces}. */
    public Result make(List<TrackedFace> faces) {
        Map<String, List<TrackedFace>> byLabel = new TreeMap<>();
        for (TrackedFace f : faces) {
            byLabel.computeIfAbsent(f.label(), k -> new ArrayList<>()).add(f);
        }
        byLabel.values().forEach(l -> l.sort(Comparator.comparingInt(TrackedFace::frame).thenComparingInt(TrackedFace::number)));

        Map<String, List<List<Pair>>> positivesByClip = new TreeMap<>();
        for (List<TrackedFace> track : byLabel.values()) {
            positivesByClip.computeIfAbsent(track.get(0).clip(), k -> new ArrayList<>()).add(positives(track));
        }
        List<Pair> same = takeTurns(turnsWithin(positivesByClip), Integer.MAX_VALUE);
        int perFold = same.size() / folds;
        if (perFold == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "only %d same-person pairs at least %.1f s apart"
                    + " for %d folds; give longer clips, more clips, or a smaller --min-gap", same.size(), minGapSeconds, folds));
        }
        int wanted = perFold * folds;
        same = same.subList(0, wanted);

        List<Pair> sameFrame = takeTurns(turnsWithin(sameFrameNegatives(faces)), wanted);
        List<Pair> different = new ArrayList<>(sameFrame);
        if (different.size() < wanted) {
            different.addAll(takeTurns(turnsWithin(crossClipNegatives(byLabel)), wanted - different.size()));
        }
        if (different.size() < wanted) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "only %d different-person pairs for %d same-person"
                    + " pairs; the set needs faces of at least two clips or frames with two faces", different.size(), wanted));
        }
        List<String> lines = new ArrayList<>();
        lines.add(folds + "\t" + perFold);
        Set<String> labels = new HashSet<>();
        Set<String> images = new HashSet<>();
        for (int k = 0; k < folds; k++) {
            for (int i = k; i < wanted; i += folds) {
                Pair p = same.get(i);
                lines.add(p.a().label() + "\t" + p.a().number() + "\t" + p.b().number());
                note(p, labels, images);
            }
            for (int i = k; i < wanted; i += folds) {
                Pair p = different.get(i);
                lines.add(p.a().label() + "\t" + p.a().number() + "\t" + p.b().label() + "\t" + p.b().number());
                note(p, labels, images);
            }
        }
        int fromSameFrame = Math.min(sameFrame.size(), wanted);
        return new Result(lines, folds, perFold, fromSameFrame, wanted - fromSameFrame, labels.size(), images.size());
    }

    private static void note(Pair p, Set<String> labels, Set<String> images) {
        labels.add(p.a().label());
        labels.add(p.b().label());
        images.add(p.a().label() + "/" + p.a().number());
        images.add(p.b().label() + "/" + p.b().number());
    }

    /** A track's same-person pairs: far apart first, fresh images first, at most {@code perTrack}. */
    List<Pair> positives(List<TrackedFace> track) {
        List<Pair> candidates = new ArrayList<>();
        for (int i = 0; i < track.size(); i++) {
            for (int j = i + 1; j < track.size(); j++) {
                if (track.get(j).seconds() - track.get(i).seconds() >= minGapSeconds) {
                    candidates.add(new Pair(track.get(i), track.get(j)));
                }
            }
        }
        candidates.sort(Comparator.comparingDouble((Pair p) -> -(p.b().seconds() - p.a().seconds()))
                .thenComparingInt(p -> p.a().number()).thenComparingInt(p -> p.b().number()));
        List<Pair> out = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (Pair p : candidates) {
            if (out.size() < perTrack && !used.contains(p.a().number()) && !used.contains(p.b().number())) {
                out.add(p);
                used.add(p.a().number());
                used.add(p.b().number());
            }
        }
        for (Pair p : candidates) {
            if (out.size() < perTrack && !out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Pairs of faces in one frame under different labels, by clip (or photo), then by label pair; each label
     * pair's frames spread over time.
     */
    static Map<String, List<List<Pair>>> sameFrameNegatives(List<TrackedFace> faces) {
        Map<String, List<TrackedFace>> byFrame = new TreeMap<>();
        for (TrackedFace f : faces) {
            byFrame.computeIfAbsent(f.clip() + "\u0000" + String.format(Locale.ROOT, "%09d", f.frame()), k -> new ArrayList<>()).add(f);
        }
        Map<String, Map<String, List<Pair>>> byClip = new TreeMap<>();
        for (List<TrackedFace> frame : byFrame.values()) {
            frame.sort(Comparator.comparing(TrackedFace::label));
            for (int i = 0; i < frame.size(); i++) {
                for (int j = i + 1; j < frame.size(); j++) {
                    TrackedFace a = frame.get(i);
                    TrackedFace b = frame.get(j);
                    if (!a.label().equals(b.label())) {
                        byClip.computeIfAbsent(a.clip(), k -> new TreeMap<>())
                                .computeIfAbsent(a.label() + "\u0000" + b.label(), k -> new ArrayList<>()).add(new Pair(a, b));
                    }
                }
            }
        }
        Map<String, List<List<Pair>>> out = new TreeMap<>();
        byClip.forEach((clip, groups) -> out.put(clip, groups.values().stream().map(GeneralPairs::spread).toList()));
        return out;
    }

    /** Pairs of faces of labels from different clips, by pair of clips, then by label pair; faces spread. */
    static Map<String, List<List<Pair>>> crossClipNegatives(Map<String, List<TrackedFace>> byLabel) {
        List<List<TrackedFace>> spread = new ArrayList<>();
        for (List<TrackedFace> faces : byLabel.values()) {
            spread.add(spread(faces));
        }
        Map<String, List<List<Pair>>> out = new TreeMap<>();
        for (int i = 0; i < spread.size(); i++) {
            for (int j = i + 1; j < spread.size(); j++) {
                List<TrackedFace> a = spread.get(i);
                List<TrackedFace> b = spread.get(j);
                if (a.get(0).clip().equals(b.get(0).clip())) {
                    continue;
                }
                List<Pair> group = new ArrayList<>();
                int n = Math.max(a.size(), b.size());
                for (int r = 0; r < n; r++) {
                    group.add(new Pair(a.get(r % a.size()), b.get(r % b.size())));
                }
                String clips = a.get(0).clip().compareTo(b.get(0).clip()) < 0 ? a.get(0).clip() + "\u0000" + b.get(0).clip()
                        : b.get(0).clip() + "\u0000" + a.get(0).clip();
                out.computeIfAbsent(clips, k -> new ArrayList<>()).add(group);
            }
        }
        return out;
    }

    /**
     * Each source's groups taking turns within it, one list per source: so that sources (clips, photos) then
     * take turns with each other, and a photo of 24 faces (276 pairs of people) does not crowd out a clip.
     */
    static <T> List<List<T>> turnsWithin(Map<String, List<List<T>>> bySource) {
        List<List<T>> out = new ArrayList<>();
        for (List<List<T>> groups : bySource.values()) {
            out.add(takeTurns(groups, Integer.MAX_VALUE));
        }
        return out;
    }

    /** Up to {@code limit} items taken one from each group in turn, in group order. */
    static <T> List<T> takeTurns(List<List<T>> groups, int limit) {
        List<T> out = new ArrayList<>();
        for (int round = 0; out.size() < limit; round++) {
            boolean any = false;
            for (List<T> g : groups) {
                if (round < g.size() && out.size() < limit) {
                    out.add(g.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return out;
    }

    /**
     * The items reordered so that any prefix is spread over the list: first, last, middle, quarters, ...
     * (the van der Corput order of their positions), ties to the lower index.
     */
    static <T> List<T> spread(List<T> items) {
        int n = items.size();
        if (n <= 2) {
            return new ArrayList<>(items);
        }
        Map<Integer, T> chosen = new LinkedHashMap<>();
        chosen.put(0, items.get(0));
        chosen.put(n - 1, items.get(n - 1));
        for (int depth = 1; chosen.size() < n; depth *= 2) {
            for (int k = 1; k < 2 * depth; k += 2) {
                int index = (int) Math.round((double) k * (n - 1) / (2 * depth));
                chosen.putIfAbsent(index, items.get(index));
            }
        }
        return new ArrayList<>(chosen.values());
    }

    /** How many faces each label has, for a people file ({@code Name<TAB>count}). */
    public static Map<String, Integer> counts(List<TrackedFace> faces) {
        Map<String, Integer> out = new TreeMap<>();
        for (TrackedFace f : faces) {
            out.merge(f.label(), 1, Integer::sum);
        }
        return out;
    }
}
