package io.facestream.gallery.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * The body of {@code POST /unknowns/{id}/name}: who the group is, {@code {"identity_id": "ada", "display_name": "Ada
 * Lovelace"}}. The display name may be left out (the identity id is used, as for an upload); any other field, a
 * field that is not a string, or a body that is not one JSON object is a 400 that shows the expected form.
 */
record NamingRequest(String identityId, String displayName) {

    /** What a valid body looks like, for the refusals. */
    static final String EXAMPLE = "{\"identity_id\": \"ada\", \"display_name\": \"Ada Lovelace\"}";
    private static final Set<String> FIELDS = Set.of("identity_id", "display_name");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** Reads and checks the body: the identity id must be one a new enrolment may use. */
    static NamingRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException e) {
            String why = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
            throw refused("the body is not JSON (" + Params.abbreviate(String.valueOf(why)) + ")");
        }
        if (root == null || !root.isObject()) {
            throw refused(body.length == 0 ? "the body is empty" : "the body is not a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw refused("the body has an unknown field \"" + Params.abbreviate(name) + "\"");
            }
        }
        String id = text(root, "identity_id");
        if (id == null) {
            throw refused("the body has no identity_id: give the id the person is to be enrolled under");
        }
        String name = text(root, "display_name");
        return new NamingRequest(Params.enrollableId(id), Params.displayName(name == null ? id : name));
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw refused(field + " must be a string, was " + Params.abbreviate(v.toString()));
        }
        return v.asText();
    }

    private static ApiError refused(String what) {
        return ApiError.badRequest(what + "; send a JSON object such as " + EXAMPLE
                + " (display_name may be left out)");
    }
}
