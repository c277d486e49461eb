package io.facestream.gallery.http;

import java.util.Map;

/** A request the API refuses: the HTTP status and a sentence that says what was wrong and what to do. */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    ApiError(int status, String reason) {
        this(status, reason, Map.of());
    }

    private ApiError(int status, String reason, Map<String, String> headers) {
        super(reason);
        this.status = status;
        this.headers = headers;
    }

    int status() {
        return status;
    }

    /** Headers the answer must carry (e.g. {@code Allow} on a 405). */
    Map<String, String> headers() {
        return headers;
    }

    static ApiError badRequest(String reason) {
        return new ApiError(400, reason);
    }

    static ApiError notFound(String reason) {
        return new ApiError(404, reason);
    }

    static ApiError conflict(String reason) {
        return new ApiError(409, reason);
    }

    static ApiError methodNotAllowed(String method, String... allowed) {
        return new ApiError(405, method + " is not allowed here; use " + String.join(" or ", allowed),
                Map.of("Allow", String.join(", ", allowed)));
    }
}
