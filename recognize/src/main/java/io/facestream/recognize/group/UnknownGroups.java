package io.facestream.recognize.group;

import io.facestream.core.Embedding;
import io.facestream.core.event.UnknownGroup;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The stream's grouping of unknown tracks into people (DESIGN "Unknown faces"), one track at a time: a new track's
 * first face is linked to the faces already grouped only where the committee of two embedders agrees, as in CDP
 * ({@link Committee}): the face is among the {@code k} nearest of both embedders and within both thresholds. The
 * track joins the group its strongest agreed link points to (scored by the weaker embedder's margin), or opens a new
 * group. Ids are never reused and a track never changes group, so an {@code unknown-<n>} is stable; two groups are
 * never merged afterwards, which splits a person rather than merge two.
 *
 * <p>Mutable, and not thread-safe: one instance is the state of the job's single grouping subtask. Bounded: a group
 * keeps its {@link GroupingOptions#samplesPerGroup()} newest faces' embeddings and {@link UnknownGroup#MAX_FACES}
 * face crops, tracks idle for {@link GroupingOptions#trackIdle()} are forgotten, and past
 * {@link GroupingOptions#maxGroups()} the group seen longest ago is dropped.
 */
public final class UnknownGroups implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One face of a group, in both embedders; {@code modelId} names the first embedder's model. */
    public record Sample(String modelId, float[] first, float[] second) implements Serializable {

        public Sample {
            if (modelId == null || first == null || second == null || first.length == 0 || second.length == 0) {
                throw new IllegalArgumentException("a grouping sample needs a model id and both embeddings");
            }
        }
    }

    /** Where a new track went: its group, whether the group is new, and its best agreed link's score (0 when new). */
    public record Placement(String groupId, boolean opened, double score) {
    }

    /** The mutable state of one group. */
    static final class Group implements Serializable {
        private static final long serialVersionUID = 1L;
        String id;
        long firstSeen;
        long lastSeen;
        int tracks;
        TreeSet<String> cameras = new TreeSet<>();
        ArrayList<byte[]> faces = new ArrayList<>();
        ArrayList<Sample> samples = new ArrayList<>();
        String modelId;
    }

    /** The mutable state of one live track. */
    static final class TrackEntry implements Serializable {
        private static final long serialVersionUID = 1L;
        String groupId;
        long lastSeen;
        long faces;
    }

    private final GroupingOptions options;
    private long nextNumber = 1;
    /** Groups by id, in the order they were opened. */
    private final LinkedHashMap<String, Group> groups = new LinkedHashMap<>();
    private final HashMap<String, TrackEntry> tracks = new HashMap<>();

    public UnknownGroups(GroupingOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("unknown grouping needs its options, was null");
        }
        this.options = options;
    }

    /** The options. */
    public GroupingOptions options() {
        return options;
    }

    /** The group of a track seen before, or null. */
    public String groupOf(String track) {
        TrackEntry t = tracks.get(track);
        return t == null ? null : t.groupId;
    }

    /** Number of groups held. */
    public int size() {
        return groups.size();
    }

    /**
     * Counts a face of a known track and says whether it should add a sample to its group: every
     * {@link GroupingOptions#sampleEvery()}th face after the first (the first placed the track). Null for a track not
     * held (never placed, or forgotten).
     */
    public Boolean seen(String track, Instant time) {
        TrackEntry t = tracks.get(track);
        if (t == null) {
            return null;
        }
        t.faces++;
        t.lastSeen = Math.max(t.lastSeen, time.toEpochMilli());
        Group g = groups.get(t.groupId);
        if (g != null) {
            g.lastSeen = Math.max(g.lastSeen, time.toEpochMilli());
        }
        return (t.faces - 1) % options.sampleEvery() == 0;
    }

    /** Adds a later face of a placed track to its group's samples (the newest are kept). */
    public void addSample(String track, Sample s) {
        TrackEntry t = tracks.get(track);
        Group g = t == null ? null : groups.get(t.groupId);
        if (g != null) {
            keep(g, s);
        }
    }

    /**
     * Places a new track by its first face: joins the group of the strongest link both embedders agree on, or opens
     * a group. {@code sample} null (the second embedder could not read the face) opens a group: without both
     * embedders there is no consensus. {@code face} gives the crop kept for naming the group (asked for only when kept;
     * null: none).
     */
    public Placement place(String track, String camera, Instant time, Sample sample, Supplier<byte[]> face,
            double firstThreshold, double secondThreshold) {
        if (tracks.containsKey(track)) {
            throw new IllegalStateException("track " + track + " is already in " + tracks.get(track).groupId);
        }
        forgetIdle(time.toEpochMilli());
        Group best = null;
        double bestScore = 0;
        if (sample != null) {
            for (Map.Entry<Group, Double> link : agreedLinks(sample, firstThreshold, secondThreshold).entrySet()) {
                if (link.getValue() > bestScore) {
                    best = link.getKey();
                    bestScore = link.getValue();
                }
            }
        }
        boolean opened = best == null;
        Group g = best;
        if (opened) {
            g = new Group();
            g.id = UnknownGroup.id(nextNumber++);
            g.firstSeen = time.toEpochMilli();
            g.lastSeen = g.firstSeen;
            g.modelId = sample == null ? null : sample.modelId();
            groups.put(g.id, g);
            while (groups.size() > options.maxGroups()) {
                dropOldestGroup();
            }
        }
        g.tracks++;
        g.cameras.add(camera);
        g.lastSeen = Math.max(g.lastSeen, time.toEpochMilli());
        if (face != null && g.faces.size() < UnknownGroup.MAX_FACES) {
            g.faces.add(face.get().clone());
        }
        if (sample != null) {
            keep(g, sample);
            g.modelId = sample.modelId();
        }
        TrackEntry t = new TrackEntry();
        t.groupId = g.id;
        t.lastSeen = time.toEpochMilli();
        t.faces = 1;
        tracks.put(track, t);
        return new Placement(g.id, opened, bestScore);
    }

    /**
     * Forgets a group: its samples, faces and tracks (a track of it seen again is placed afresh). Its id is not given
     * again. False when it is not held.
     */
    public boolean remove(String groupId) {
        if (groups.remove(groupId) == null) {
            return false;
        }
        tracks.values().removeIf(t -> t.groupId.equals(groupId));
        return true;
    }

    /** The record of a group for the {@code unknowns} topic; null when it has no face crop or model yet. */
    public UnknownGroup record(String groupId, String fallbackModelId) {
        Group g = groups.get(groupId);
        if (g == null || g.faces.isEmpty()) {
            return null;
        }
        return new UnknownGroup(g.id, Instant.ofEpochMilli(g.firstSeen), Instant.ofEpochMilli(g.lastSeen), g.tracks,
                List.copyOf(g.cameras), g.faces, g.modelId != null ? g.modelId : fallbackModelId);
    }

    /** Number of tracks in a group, 0 when it is not held. */
    public int tracksIn(String groupId) {
        Group g = groups.get(groupId);
        return g == null ? 0 : g.tracks;
    }

    /**
     * Each group's strongest agreed link to {@code s}: the group's samples among the k nearest of both embedders,
     * within both thresholds, scored by the weaker margin {@code min(1 − d1/t1, 1 − d2/t2)}.
     */
    Map<Group, Double> agreedLinks(Sample s, double firstThreshold, double secondThreshold) {
        List<Group> owners = new ArrayList<>();
        List<Sample> all = new ArrayList<>();
        for (Group g : groups.values()) {
            for (Sample x : g.samples) {
                if (x.modelId().equals(s.modelId()) && x.first().length == s.first().length
                        && x.second().length == s.second().length) {
                    owners.add(g);
                    all.add(x);
                }
            }
        }
        int n = all.size();
        double[] d1 = new double[n];
        double[] d2 = new double[n];
        for (int i = 0; i < n; i++) {
            d1[i] = Embedding.squaredDistance(s.first(), all.get(i).first());
            d2[i] = Embedding.squaredDistance(s.second(), all.get(i).second());
        }
        boolean[] near1 = nearest(d1, options.k());
        boolean[] near2 = nearest(d2, options.k());
        Map<Group, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            if (near1[i] && near2[i] && d1[i] <= firstThreshold && d2[i] <= secondThreshold) {
                double score = Math.min(1 - d1[i] / firstThreshold, 1 - d2[i] / secondThreshold);
                out.merge(owners.get(i), score, Math::max);
            }
        }
        return out;
    }

    private static boolean[] nearest(double[] d, int k) {
        boolean[] in = new boolean[d.length];
        Integer[] order = new Integer[d.length];
        for (int i = 0; i < d.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> d[i]));
        for (int r = 0; r < Math.min(k, d.length); r++) {
            in[order[r]] = true;
        }
        return in;
    }

    private void keep(Group g, Sample s) {
        g.samples.add(s);
        while (g.samples.size() > options.samplesPerGroup()) {
            g.samples.remove(0);
        }
    }

    private void forgetIdle(long now) {
        long idle = options.trackIdle().toMillis();
        tracks.values().removeIf(t -> now - t.lastSeen > idle);
    }

    /** Drops the group seen longest ago (a scan, only when the limit is passed). */
    private void dropOldestGroup() {
        Group oldest = null;
        for (Group g : groups.values()) {
            if (oldest == null || g.lastSeen < oldest.lastSeen) {
                oldest = g;
            }
        }
        String id = oldest.id;
        groups.remove(id);
        tracks.values().removeIf(t -> t.groupId.equals(id));
    }
}
