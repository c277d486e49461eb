package io.facestream.train.sample;

import io.facestream.core.Embedding;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.train.buffer.BufferedFace;
import io.facestream.train.buffer.ReplayBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Draws P identities × K faces from the replay buffer (FaceNet's batches: every identity with several
 * faces, so each batch has anchor-positive pairs and negatives). Only identities with at least two faces
 * are drawn; one with fewer than K faces gives all it has. Seeded: the same buffer and seed give the same
 * batches, whatever order the faces arrived in. A stream's faces reach the buffer in an order that depends on
 * timing (the recognize job's subtasks), so each identity's faces are put in an order of their own pixels before
 * they are shuffled: two runs that buffered the same faces train on the same batches.
 *
 * <p>Labels linked by lineages (a track opened in the place of another it did not continue, and so on down the
 * chain) form one group; the batch says so, and the miner never takes one group's faces as each other's negatives.
 * {@link #joiningLineages} goes further and draws each group as one identity, its tracks' faces each other's
 * positives.
 */
public final class PkSampler {

    /** An order of faces that does not depend on when they arrived: by their pixels' bytes. */
    static final Comparator<BufferedFace> BY_CONTENT = (a, b) -> {
        int c = Integer.compare(a.size(), b.size());
        return c != 0 ? c : Arrays.compare(a.pixels(), b.pixels());
    };

    private final ReplayBuffer buffer;
    private final int p;
    private final int k;
    private final Random random;
    private boolean joinLineages;

    /**
     * @param p identities per batch (at least 2: a triplet needs another identity)
     * @param k faces per identity (at least 2: a triplet needs a positive)
     */
    public PkSampler(ReplayBuffer buffer, int p, int k, long seed) {
        if (p < 2) {
            throw new IllegalArgumentException("P (identities per batch) must be at least 2, was " + p);
        }
        if (k < 2) {
            throw new IllegalArgumentException("K (faces per identity) must be at least 2, was " + k);
        }
        this.buffer = buffer;
        this.p = p;
        this.k = k;
        this.random = new Random(seed);
    }

    /**
     * Draws the tracks of one lineage as one identity: a track that opened in the place of another it did not
     * continue is taken to be the same person. Under a sudden change of light this gives the pairs that teach the
     * most (one person under two lights) and that no single track holds; the price is a wrong positive when another
     * person took the very place of a track within the tracker's age without being seen beside it.
     */
    public PkSampler joiningLineages(boolean join) {
        this.joinLineages = join;
        return this;
    }

    /** Identities the buffer can give a positive for (with joined lineages, a group is named by its root label). */
    public List<String> eligible() {
        return eligible(groupOf(buffer));
    }

    private List<String> eligible(Map<String, String> group) {
        Map<String, Integer> counts = buffer.counts();
        if (joinLineages) {
            Map<String, Integer> byGroup = new TreeMap<>();
            counts.forEach((label, n) -> byGroup.merge(group.get(label), n, Integer::sum));
            counts = byGroup;
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() >= 2) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private List<BufferedFace> facesOf(String identity, Map<String, String> group) {
        if (!joinLineages) {
            return buffer.faces(identity);
        }
        List<BufferedFace> out = new ArrayList<>();
        group.forEach((label, g) -> {
            if (g.equals(identity)) {
                out.addAll(buffer.faces(label));
            }
        });
        return out;
    }

    /** The next batch; fails when fewer than two identities have two faces. */
    public Batch next() {
        return next(null, 1);
    }

    /**
     * The next batch with hard positives: each identity's K faces are a random anchor and the K - 1 faces farthest
     * from it under {@code embed} (the network being trained) among {@code pool} × K random faces of that identity.
     * Random K faces of a person under extreme light are mostly easy for a trained model, so the pairs that still
     * fail rarely meet in a batch; this puts them there. {@code pool} 1 (or a null {@code embed}) draws at random.
     */
    public Batch next(Function<List<FaceCrop>, float[][]> embed, int pool) {
        if (pool < 1) {
            throw new IllegalArgumentException("the positive pool must be at least 1 (x K faces), was " + pool);
        }
        Map<String, String> group = groupOf(buffer);
        List<String> ids = eligible(group);
        if (ids.size() < 2) {
            throw new IllegalStateException("the replay buffer has " + ids.size() + " identities with two or more faces;"
                    + " a triplet batch needs at least 2");
        }
        Collections.shuffle(ids, random);
        List<String> chosen = ids.subList(0, Math.min(p, ids.size()));
        List<BufferedFace> faces = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            List<BufferedFace> all = new ArrayList<>(facesOf(chosen.get(i), group));
            all.sort(BY_CONTENT);
            Collections.shuffle(all, random);
            List<BufferedFace> picked = embed == null || pool == 1 || all.size() <= k ? all.subList(0, Math.min(k, all.size()))
                    : farthestFromFirst(all.subList(0, Math.min(pool * k, all.size())), k, embed);
            for (BufferedFace f : picked) {
                faces.add(f);
                labels.add(i);
            }
        }
        Map<String, Integer> groupIndex = new HashMap<>();
        int[] l = new int[faces.size()];
        boolean[] noisy = new boolean[faces.size()];
        int[] g = new int[faces.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels.get(i);
            noisy[i] = faces.get(i).noisyLabel();
            g[i] = joinLineages ? l[i] : groupIndex.computeIfAbsent(group.get(faces.get(i).label()), r -> groupIndex.size());
        }
        return new Batch(faces, l, noisy, chosen.size(), g);
    }

    /** The group of every label in {@code buffer}: its lineage group's name (see {@link #groups}), else itself. */
    public static Map<String, String> groupOf(ReplayBuffer buffer) {
        Map<String, String> root = groups(buffer.lineages(), buffer.apart());
        Map<String, String> out = new TreeMap<>();
        for (String label : buffer.counts().keySet()) {
            out.put(label, root.getOrDefault(label, label));
        }
        return out;
    }

    /**
     * Each linked label's group, named by one of its labels (the smallest): the connected parts of the links
     * label → lineage, taken in label order. A link that would put two labels seen in one frame ({@code apart}: pairs
     * in name order) into one group is not made: two tracks of one lineage seen side by side are two people. Labels
     * without a link are not listed (each is its own group).
     */
    public static Map<String, String> groups(Map<String, String> lineages, Set<List<String>> apart) {
        Map<String, String> parent = new HashMap<>();
        for (Map.Entry<String, String> link : new TreeMap<>(lineages).entrySet()) {
            String a = find(parent, link.getKey());
            String b = find(parent, link.getValue());
            if (a.equals(b) || (!apart.isEmpty() && seenTogether(parent, a, b, apart))) {
                continue;
            }
            // the smaller name becomes the root, so the result does not depend on the map's order
            if (a.compareTo(b) < 0) {
                parent.put(b, a);
            } else {
                parent.put(a, b);
            }
        }
        Map<String, String> out = new TreeMap<>();
        for (String label : parent.keySet()) {
            out.put(label, find(parent, label));
        }
        for (String r : new ArrayList<>(out.values())) {
            out.put(r, r);
        }
        return out;
    }

    /** Whether some label of root {@code a}'s group and some of root {@code b}'s were seen in one frame. */
    private static boolean seenTogether(Map<String, String> parent, String a, String b, Set<List<String>> apart) {
        for (List<String> pair : apart) {
            String x = find(parent, pair.get(0));
            String y = find(parent, pair.get(1));
            if ((x.equals(a) && y.equals(b)) || (x.equals(b) && y.equals(a))) {
                return true;
            }
        }
        return false;
    }

    private static String find(Map<String, String> parent, String x) {
        String r = x;
        while (parent.containsKey(r)) {
            r = parent.get(r);
        }
        return r;
    }

    /** The first face of {@code candidates} and the {@code k - 1} others farthest from it, farthest first. */
    static List<BufferedFace> farthestFromFirst(List<BufferedFace> candidates, int k,
            Function<List<FaceCrop>, float[][]> embed) {
        List<FaceCrop> crops = new ArrayList<>(candidates.size());
        for (BufferedFace f : candidates) {
            crops.add(f.toCrop());
        }
        float[][] e = embed.apply(crops);
        Integer[] order = new Integer[candidates.size() - 1];
        double[] d = new double[candidates.size()];
        for (int j = 1; j < candidates.size(); j++) {
            order[j - 1] = j;
            d[j] = Embedding.squaredDistance(e[0], e[j]);
        }
        // ties keep the (shuffled) pool order, so the choice is a pure function of the seed and the embeddings
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -d[j]));
        List<BufferedFace> out = new ArrayList<>(k);
        out.add(candidates.get(0));
        for (int j = 0; j < k - 1; j++) {
            out.add(candidates.get(order[j]));
        }
        return out;
    }
}
