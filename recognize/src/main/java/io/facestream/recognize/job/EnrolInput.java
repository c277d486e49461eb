package io.facestream.recognize.job;

import io.facestream.core.event.EnrolmentRequest;

/**
 * What the enrol step reads for an identity, in one keyed stream: an enrolment request, or the identity's record
 * read back from the {@code gallery} topic. Exactly one is set.
 */
public record EnrolInput(EnrolmentRequest request, GalleryRecord gallery) {

    public EnrolInput {
        if ((request == null) == (gallery == null)) {
            throw new IllegalArgumentException("an enrol input is a request or a gallery record, not "
                    + (request == null ? "neither" : "both"));
        }
    }

    /** A request to enrol. */
    public static EnrolInput of(EnrolmentRequest request) {
        return new EnrolInput(request, null);
    }

    /** A record read back from the gallery topic. */
    public static EnrolInput of(GalleryRecord record) {
        return new EnrolInput(null, record);
    }

    /** The identity both kinds are keyed by. */
    public String identityId() {
        return request != null ? request.identityId() : gallery.identityId();
    }
}
