package io.facestream.train.sample;

import io.facestream.train.buffer.BufferedFace;
import io.facestream.train.buffer.ReplayBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws P identities × K faces from the replay buffer (FaceNet's batches: every identity with several
 * faces, so each batch has anchor-positive pairs and negatives). Only identities with at least two faces
 * are drawn; one with fewer than K faces gives all it has. Seeded: the same buffer and seed give the same
 * batches.
 */
public final class PkSampler {

    private final ReplayBuffer buffer;
    private final int p;
    private final int k;
    private final Random random;

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

    /** Identities the buffer can give a positive for. */
    public List<String> eligible() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : buffer.counts().entrySet()) {
            if (e.getValue() >= 2) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** The next batch; fails when fewer than two identities have two faces. */
    public Batch next() {
        List<String> ids = eligible();
        if (ids.size() < 2) {
            throw new IllegalStateException("the replay buffer has " + ids.size() + " identities with two or more faces;"
                    + " a triplet batch needs at least 2");
        }
        Collections.shuffle(ids, random);
        List<String> chosen = ids.subList(0, Math.min(p, ids.size()));
        List<BufferedFace> faces = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            List<BufferedFace> all = new ArrayList<>(buffer.faces(chosen.get(i)));
            Collections.shuffle(all, random);
            for (BufferedFace f : all.subList(0, Math.min(k, all.size()))) {
                faces.add(f);
                labels.add(i);
            }
        }
        int[] l = new int[faces.size()];
        boolean[] noisy = new boolean[faces.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels.get(i);
            noisy[i] = faces.get(i).noisyLabel();
        }
        return new Batch(faces, l, noisy, chosen.size());
    }
}
