package io.facestream.recognize.job;

import io.facestream.core.event.GalleryEntry;
import io.facestream.core.topic.Topics;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record of the compacted {@code gallery} topic as it travels through the job: the identity id (the
 * record key) and the entry in the topic's own encoding, or null for a tombstone (the person was deleted).
 * The entry stays encoded because that is what the topic holds and what keyed state keeps; it is decoded
 * where it is used. A record read from the topic also says where it was read (partition and offset), so that the
 * match operator can tell when it has read the gallery as it was at start ({@link GalleryEnd}); equality is on what
 * the record says, not where it was read.
 *
 * @param identityId the identity, the topic's key
 * @param entry the {@link GalleryEntry} encoded with {@link Topics#GALLERY}'s serde, null for a tombstone
 * @param partition the topic partition it was read from, {@link #NOT_READ} for a record made in the job
 * @param offset its offset in that partition, {@link #NOT_READ} for a record made in the job
 */
public record GalleryRecord(String identityId, byte[] entry, int partition, long offset) {

    /** Partition and offset of a record that was not read from the topic. */
    public static final int NOT_READ = -1;

    /** A record made in the job (not read from the topic). */
    public GalleryRecord(String identityId, byte[] entry) {
        this(identityId, entry, NOT_READ, NOT_READ);
    }

    public GalleryRecord {
        if (identityId == null || identityId.isBlank()) {
            throw new IllegalArgumentException("a gallery record needs its identity id (the record key), was "
                    + (identityId == null ? "null" : "\"" + identityId + "\""));
        }
        if (entry != null && entry.length == 0) {
            throw new IllegalArgumentException("the gallery entry of " + identityId + " is empty (a tombstone is null)");
        }
    }

    /** The record that writes {@code entry}. */
    public static GalleryRecord of(GalleryEntry entry) {
        return new GalleryRecord(entry.identityId(),
                Topics.GALLERY.valueSerde().serializer().serialize(Topics.GALLERY.name(), entry));
    }

    /** The record that deletes {@code identityId}. */
    public static GalleryRecord tombstone(String identityId) {
        return new GalleryRecord(identityId, null);
    }

    /** This record as read from {@code partition} at {@code offset}. */
    public GalleryRecord readAt(int partition, long offset) {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("a gallery record is read at a partition and offset of 0 or more, was "
                    + partition + "@" + offset);
        }
        return new GalleryRecord(identityId, entry, partition, offset);
    }

    /** True when this record was read from the topic (it has a partition and offset). */
    public boolean wasRead() {
        return partition >= 0;
    }

    /** True when this record deletes the identity. */
    public boolean isTombstone() {
        return entry == null;
    }

    /**
     * The decoded entry, null for a tombstone; a {@link io.facestream.core.codec.CodecException} when the
     * bytes are not a gallery entry, an {@link IllegalArgumentException} when the entry's identity is not the key.
     */
    public GalleryEntry decode() {
        if (entry == null) {
            return null;
        }
        GalleryEntry e = Topics.GALLERY.valueSerde().deserializer().deserialize(Topics.GALLERY.name(), entry);
        if (!e.identityId().equals(identityId)) {
            throw new IllegalArgumentException("the gallery record keyed " + identityId + " holds the entry of "
                    + e.identityId());
        }
        return e;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GalleryRecord r && identityId.equals(r.identityId) && Arrays.equals(entry, r.entry);
    }

    @Override
    public int hashCode() {
        return Objects.hash(identityId) * 31 + Arrays.hashCode(entry);
    }

    @Override
    public String toString() {
        return "GalleryRecord[" + identityId + (entry == null ? ", tombstone]" : ", " + entry.length + " bytes]");
    }
}
