package io.facestream.core.event;

import java.util.Arrays;
import java.util.Objects;

/** A request to enrol one person from one photo with one face (the value of {@code enrolments}). */
public record EnrolmentRequest(String requestId, String identityId, String displayName, byte[] image) {

    public EnrolmentRequest {
        Checks.text(requestId, "enrolment request id");
        Checks.text(identityId, "enrolment identity id");
        Checks.text(displayName, "enrolment display name of identity " + identityId);
        image = Checks.bytes(image, "enrolment image of identity " + identityId);
    }

    /** A copy of the image bytes (JPEG). */
    @Override
    public byte[] image() {
        return image.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnrolmentRequest r && requestId.equals(r.requestId) && identityId.equals(r.identityId)
                && displayName.equals(r.displayName) && Arrays.equals(image, r.image);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, identityId, displayName) * 31 + Arrays.hashCode(image);
    }

    @Override
    public String toString() {
        return "EnrolmentRequest[" + requestId + ", " + identityId + " \"" + displayName + "\", "
                + image.length + " image bytes]";
    }
}
