package io.facestream.gallery.http;

import io.facestream.core.event.UnknownGroup;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** The API's checks of path segments and query parameters, each refusal a 400 that names the value and the rule. */
final class Params {

    private Params() {
    }

    static String identityId(String id) {
        if (!ApiLimits.IDENTITY_ID.matcher(id).matches()) {
            throw ApiError.badRequest("identity id \"" + abbreviate(id) + "\" is not valid: use 1-"
                    + ApiLimits.MAX_IDENTITY_ID_CHARS + " letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }

    /**
     * An identity id a new enrolment may use: a valid one ({@link #identityId}) that does not begin as unknown
     * groups' ids do, so that an enrolled person's visits are never taken for a group's.
     */
    static String enrollableId(String id) {
        identityId(id);
        if (id.startsWith(UnknownGroup.PREFIX)) {
            throw ApiError.badRequest("identity ids that begin with \"" + UnknownGroup.PREFIX + "\" are reserved for"
                    + " unknown groups; enrol \"" + abbreviate(id) + "\" under another id (to name a group, POST"
                    + " /unknowns/{id}/name with the person's own identity id)");
        }
        return id;
    }

    static String displayName(String name) {
        String n = name.strip();
        if (n.isEmpty() || n.length() > ApiLimits.MAX_DISPLAY_NAME_CHARS || n.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest("the display name must be 1-" + ApiLimits.MAX_DISPLAY_NAME_CHARS
                    + " characters without control characters, was \"" + abbreviate(n) + "\" (" + n.length() + " characters)");
        }
        return n;
    }

    static String text(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.length() > ApiLimits.MAX_PARAMETER_CHARS) {
            throw ApiError.badRequest(name + " must be at most " + ApiLimits.MAX_PARAMETER_CHARS + " characters, was "
                    + v.length());
        }
        return v;
    }

    /** An ISO-8601 instant ({@code 2026-11-24T10:00:00Z}) or a duration back from now ({@code PT10M}); default: all. */
    static Instant since(String text) {
        if (text == null || text.isEmpty()) {
            return Instant.EPOCH;
        }
        try {
            return text.startsWith("P") || text.startsWith("p")
                    ? Instant.now().minus(Duration.parse(text)) : Instant.parse(text);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiError.badRequest("since must be an instant such as 2026-11-24T10:00:00Z or a duration back from now"
                    + " such as PT10M, was \"" + abbreviate(text) + "\"");
        }
    }

    static int intParameter(Map<String, String> q, String name, int fallback, int max) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is accepted
        }
        throw ApiError.badRequest(name + " must be a whole number from 1 to " + max + ", was \"" + abbreviate(v) + "\"");
    }

    /** The index of one of {@code owner}'s {@code count} faces, numbered from 0; anything else is a 404. */
    static int faceIndex(String owner, String raw, int count) {
        int n;
        try {
            n = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n >= count) {
            throw ApiError.notFound(owner + " has " + count + " face(s), numbered from 0; there is no face \""
                    + abbreviate(raw) + "\"");
        }
        return n;
    }

    static void allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw ApiError.methodNotAllowed(method, allowed);
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
