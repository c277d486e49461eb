package io.facestream.train.distill;

import io.facestream.recognize.align.FaceCrop;
import io.facestream.train.sample.Augmenter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * General-domain faces whose embeddings training keeps where the starting model put them: a second
 * distillation term, {@code μ · mean_j ‖f(g_j) − f₀(g_j)‖²} over M faces g drawn at each step from this set.
 *
 * <p>The term of {@link Distillation} acts on the batch's own crops, where the triplet loss pushes: the two
 * pull against each other on the very same images. Forgetting shows elsewhere, on the faces the target domain
 * does not have (colour, natural light, other people). These faces are such a sample: the trained network may
 * change how it sees the target domain, and pays for every change it makes to how it sees them. They carry no
 * labels and need none, and they must not be the gate's general pairs' faces, or the gate's general check
 * would measure what was held fixed.
 *
 * <p>With a light ({@link #relighting}), a share of the drawn faces is shown to the trained network under the
 * augmenter's light while the target stays the starting model's embedding of the face as it is: the term then also
 * asks that a general face lit from one side be seen as the same face, and teaches on faces with no labels the
 * invariance the target domain needs.
 */
public final class KeptFaces {

    private final List<FaceCrop> faces;
    private final double weight;
    private final int perStep;
    private final Random random;
    private Augmenter light;
    private double relitShare;
    private FaceJitter jitter;

    /**
     * One drawn face: what the trained network is shown, and what the starting model is shown to give the target.
     * The two are the same array unless the face was relit.
     */
    public record Shown(float[] input, float[] target) {

        /** Whether the network sees something other than the target's input. */
        public boolean relit() {
            return input != target;
        }
    }

    /**
     * {@code faces} (at least one), of which {@code perStep} (at least 1) are drawn at each step, with weight
     * {@code weight} (μ &gt; 0); {@code seed} fixes the draws.
     */
    public KeptFaces(List<FaceCrop> faces, double weight, int perStep, long seed) {
        if (faces == null || faces.isEmpty()) {
            throw new IllegalArgumentException("faces to keep: none were given; point --keep-faces at a folder of face"
                    + " images (not the gate's general set)");
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("the kept faces' weight must be a finite number > 0, was " + weight);
        }
        if (perStep < 1) {
            throw new IllegalArgumentException("faces kept per step must be at least 1, was " + perStep);
        }
        this.faces = List.copyOf(faces);
        this.weight = weight;
        this.perStep = perStep;
        this.random = new Random(seed);
    }

    /**
     * Shows {@code share} (in [0, 1]) of the drawn faces to the trained network under {@code light}'s brightness and
     * directional light (never its flip: the faces are mirrored here), the target staying the unlit face's.
     */
    public KeptFaces relighting(Augmenter light, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("the share of kept faces relit must be in [0, 1], was " + share);
        }
        if (share > 0 && light == null) {
            throw new IllegalArgumentException("relit kept faces need a light (an augmenter)");
        }
        this.light = share > 0 ? light : null;
        this.relitShare = share;
        return this;
    }

    /**
     * Shows every drawn face to both networks as a random view of it ({@link FaceJitter}; null: as it is), before any
     * relighting: the term then holds the neighbourhood of each kept face, not the face alone.
     */
    public KeptFaces jittering(FaceJitter views) {
        this.jitter = views;
        return this;
    }

    /** The views drawn faces are shown as, or null. */
    public FaceJitter jitter() {
        return jitter;
    }

    /** The share of drawn faces shown relit (0 = none). */
    public double relitShare() {
        return relitShare;
    }

    /**
     * The next step's faces: {@code perStep} of them, drawn without replacement (all of them when fewer), each mirrored
     * with probability 1/2 (the mirror image of a face is as much a face of the domain; the anchor sees the same input),
     * each shown as a random view of itself ({@link #jittering}) and a share of them relit ({@link #relighting}).
     */
    public List<Shown> next() {
        return draw().stream().map(this::shown).toList();
    }

    private Shown shown(FaceCrop drawn) {
        FaceCrop face = jitter == null ? drawn : jitter.view(drawn);
        float[] plain = face.chw();
        if (light != null && random.nextDouble() < relitShare) {
            return new Shown(light.relit(face), plain);
        }
        return new Shown(plain, plain);
    }

    private List<FaceCrop> draw() {
        int n = faces.size();
        if (perStep >= n) {
            return faces.stream().map(this::maybeMirrored).toList();
        }
        // A partial Fisher-Yates shuffle over indices: the first perStep are the draw.
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        List<FaceCrop> out = new ArrayList<>(perStep);
        for (int i = 0; i < perStep; i++) {
            int j = i + random.nextInt(n - i);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
            out.add(maybeMirrored(faces.get(index[i])));
        }
        return out;
    }

    private FaceCrop maybeMirrored(FaceCrop face) {
        return random.nextBoolean() ? face.flipped() : face;
    }

    /** μ. */
    public double weight() {
        return weight;
    }

    /** Faces drawn per step. */
    public int perStep() {
        return perStep;
    }

    /** Faces in the set. */
    public int size() {
        return faces.size();
    }
}
