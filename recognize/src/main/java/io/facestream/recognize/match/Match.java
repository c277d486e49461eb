package io.facestream.recognize.match;

/**
 * The outcome of matching one face: the nearest enrolled identity and its squared L2 distance;
 * {@code identity} is null (unknown) when the nearest is farther than the threshold or the gallery is empty.
 */
public record Match(String identity, String nearest, double distance, double threshold) {

    /** True when the face was recognised. */
    public boolean known() {
        return identity != null;
    }
}
