package io.facestream.train.buffer;

/**
 * The replay buffer's bounds.
 *
 * @param maxFaces faces kept in all (each 112×112 crop is 37,632 bytes, in memory and on disk)
 * @param maxPerIdentity faces kept of one identity: a long track or a much-seen person must not crowd
 *     out the rest, and fewer faces per label also bound the damage of a wrong label
 */
public record BufferOptions(int maxFaces, int maxPerIdentity) {

    /** Default total: 8,192 crops, about 300 MB. */
    public static final int DEFAULT_MAX_FACES = 8192;
    /** Default per identity: 4 times a P×K batch's K at the largest K we use. */
    public static final int DEFAULT_MAX_PER_IDENTITY = 128;

    public BufferOptions {
        if (maxFaces < 2) {
            throw new IllegalArgumentException("the replay buffer must hold at least 2 faces, maxFaces was " + maxFaces);
        }
        if (maxPerIdentity < 1 || maxPerIdentity > maxFaces) {
            throw new IllegalArgumentException("maxPerIdentity must be between 1 and maxFaces (" + maxFaces + "), was "
                    + maxPerIdentity);
        }
    }

    /** The default bounds. */
    public static BufferOptions defaults() {
        return new BufferOptions(DEFAULT_MAX_FACES, DEFAULT_MAX_PER_IDENTITY);
    }
}
