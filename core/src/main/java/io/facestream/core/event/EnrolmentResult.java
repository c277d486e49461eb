package io.facestream.core.event;

/** What became of an enrolment request (the value of {@code enrolment-results}, keyed by request id). */
public record EnrolmentResult(String requestId, String identityId, Status status, String reason) {

    /** Whether the person was enrolled. */
    public enum Status {
        /** Enrolled: a gallery entry was written. */
        OK,
        /** Not enrolled; {@code reason} says why (no face, several faces, unreadable image...). */
        ERROR
    }

    public EnrolmentResult {
        Checks.text(requestId, "enrolment result request id");
        Checks.text(identityId, "enrolment result identity id");
        Checks.present(status, "enrolment result status");
        if (status == Status.ERROR) {
            Checks.text(reason, "reason of failed enrolment " + requestId);
        }
    }

    /** A success, with no reason. */
    public static EnrolmentResult ok(String requestId, String identityId) {
        return new EnrolmentResult(requestId, identityId, Status.OK, null);
    }

    /** A failure with its reason as a sentence. */
    public static EnrolmentResult error(String requestId, String identityId, String reason) {
        return new EnrolmentResult(requestId, identityId, Status.ERROR, reason);
    }

    /** True when the person was enrolled. */
    public boolean succeeded() {
        return status == Status.OK;
    }
}
