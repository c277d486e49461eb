package io.facestream.recognize.job;

import io.facestream.core.Embedding;
import io.facestream.core.event.GalleryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Adds enrolled faces to gallery entries; an identity collects many faces, each one once. */
final class GalleryMerge {

    private GalleryMerge() {
    }

    /**
     * The entry after one more face: its crop appended to the crops and its embedding to the list of its
     * model, the other models' embeddings kept. A face whose crop the entry already holds (a replayed
     * request, the same photo sent twice) is not added again, so replays change nothing. The display name
     * is the latest request's; the enrolment time is the first face's.
     *
     * @param current the identity's entry so far, null for a new identity
     * @param at when this face was enrolled
     */
    static GalleryEntry withFace(GalleryEntry current, String identityId, String displayName, byte[] crop,
            Embedding embedding, Instant at) {
        return withFace(current, identityId, displayName, crop, List.of(embedding), at);
    }

    /**
     * {@link #withFace(GalleryEntry, String, String, byte[], Embedding, Instant)} with the face's embedding by
     * several models (the job's, and a newly published one); each is filed under its model.
     */
    static GalleryEntry withFace(GalleryEntry current, String identityId, String displayName, byte[] crop,
            List<Embedding> embeddingsOfFace, Instant at) {
        if (current == null) {
            Map<String, List<Embedding>> first = new LinkedHashMap<>();
            for (Embedding e : embeddingsOfFace) {
                first.put(e.modelId(), List.of(e));
            }
            return new GalleryEntry(identityId, displayName, List.of(crop), first, at);
        }
        if (!current.identityId().equals(identityId)) {
            throw new IllegalArgumentException("cannot add a face of " + identityId + " to the entry of "
                    + current.identityId());
        }
        List<byte[]> crops = current.crops();
        Map<String, List<Embedding>> embeddings = new LinkedHashMap<>(current.embeddings());
        if (!holds(crops, crop)) {
            crops = new ArrayList<>(crops);
            crops.add(crop);
            for (Embedding embedding : embeddingsOfFace) {
                List<Embedding> ofModel = new ArrayList<>(current.embeddingsOf(embedding.modelId()));
                ofModel.add(embedding);
                embeddings.put(embedding.modelId(), ofModel);
            }
        }
        return new GalleryEntry(identityId, displayName, crops, embeddings, current.enrolledAt());
    }

    /**
     * The entry with one model's embeddings of all its crops (in crop order) in place of whatever it had of that
     * model; the other models' are kept.
     */
    static GalleryEntry withEmbeddings(GalleryEntry current, List<Embedding> ofEveryCrop) {
        if (ofEveryCrop.size() != current.crops().size()) {
            throw new IllegalArgumentException("an embedding per crop is needed: " + current.crops().size()
                    + " crops of " + current.identityId() + ", " + ofEveryCrop.size() + " embeddings");
        }
        Map<String, List<Embedding>> embeddings = new LinkedHashMap<>(current.embeddings());
        embeddings.put(ofEveryCrop.get(0).modelId(), List.copyOf(ofEveryCrop));
        return new GalleryEntry(current.identityId(), current.displayName(), current.crops(), embeddings,
                current.enrolledAt());
    }

    /** True when {@code candidate} holds every crop of {@code mine}: it is the same entry or a newer one. */
    static boolean holdsAllCrops(GalleryEntry candidate, GalleryEntry mine) {
        List<byte[]> theirs = candidate.crops();
        for (byte[] c : mine.crops()) {
            if (!holds(theirs, c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(List<byte[]> crops, byte[] crop) {
        for (byte[] c : crops) {
            if (Arrays.equals(c, crop)) {
                return true;
            }
        }
        return false;
    }
}
