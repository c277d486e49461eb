package io.facestream.gallery.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The body of {@code POST /unknowns/{id}/name}: what is accepted, and that each refusal shows the way. */
class NamingRequestTest {

    @Test
    void anIdAndANameAreReadAndTheNameDefaultsToTheId() {
        assertEquals(new NamingRequest("ada", "Ada Lovelace"),
                parse("{\"identity_id\": \"ada\", \"display_name\": \"  Ada Lovelace \"}"));
        assertEquals(new NamingRequest("ada", "ada"), parse("{\"identity_id\": \"ada\"}"));
        assertEquals(new NamingRequest("ada", "ada"), parse("{\"identity_id\": \"ada\", \"display_name\": null}"));
    }

    @Test
    void eachBadBodyIsA400ThatSaysWhatIsWrongAndShowsAGoodOne() {
        refused("", "the body is empty");
        refused("ada", "the body is not JSON");
        refused("[\"ada\"]", "not a JSON object");
        refused("{\"identity_id\": \"ada\"} {}", "not JSON");
        refused("{\"identity\": \"ada\"}", "unknown field \"identity\"");
        refused("{\"display_name\": \"Ada\"}", "no identity_id");
        refused("{\"identity_id\": 3}", "identity_id must be a string");
        refused("{\"identity_id\": \"ada\", \"display_name\": [\"A\"]}", "display_name must be a string");
        ApiError badId = assertThrows(ApiError.class, () -> parse("{\"identity_id\": \"a d\"}"));
        assertTrue(badId.getMessage().contains("is not valid"), badId.getMessage());
        ApiError reserved = assertThrows(ApiError.class, () -> parse("{\"identity_id\": \"unknown-4\"}"));
        assertEquals(400, reserved.status());
        assertTrue(reserved.getMessage().contains("reserved for unknown groups"), reserved.getMessage());
        ApiError blankName = assertThrows(ApiError.class, () -> parse("{\"identity_id\": \"ada\", \"display_name\": \" \"}"));
        assertTrue(blankName.getMessage().contains("display name must be"), blankName.getMessage());
    }

    private static void refused(String body, String why) {
        ApiError e = assertThrows(ApiError.class, () -> parse(body), body);
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(why) && e.getMessage().contains(NamingRequest.EXAMPLE), e.getMessage());
    }

    private static NamingRequest parse(String body) {
        return NamingRequest.parse(body.getBytes(StandardCharsets.UTF_8));
    }
}
