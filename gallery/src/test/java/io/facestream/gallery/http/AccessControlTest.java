package io.facestream.gallery.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facestream.gallery.auth.Role;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which role each route needs: only probes, metrics and the console's static files are open. */
class AccessControlTest {

    @Test
    void onlyHealthAndTheConsoleFilesAreOpen() {
        assertEquals(Optional.empty(), AccessControl.required("GET", List.of("health")));
        assertEquals(Optional.empty(), AccessControl.required("GET", List.of("health", "live")));
        assertEquals(Optional.empty(), AccessControl.required("GET", List.of("health", "ready")));
        assertEquals(Optional.empty(), AccessControl.required("GET", List.of("metrics")));
        assertEquals(Optional.empty(), AccessControl.required("GET", List.of()));
        assertEquals(Optional.empty(), AccessControl.required("GET", List.of("console")));
        assertEquals(Optional.empty(), AccessControl.required("GET", List.of("console", "app.js")));
        for (List<String> read : List.of(List.of("identities"), List.of("identities", "ada"),
                List.of("identities", "ada", "faces", "0"), List.of("enrolments", "r"), List.of("sightings"),
                List.of("live"), List.of("models"), List.of("status"), List.of("whoami"), List.of("health", "x"),
                List.of("metrics", "x"), List.of("unknowns"), List.of("unknowns", "unknown-1"),
                List.of("unknowns", "unknown-1", "faces", "0"),
                List.of("anything"))) {
            assertEquals(Optional.of(Role.READ), AccessControl.required("GET", read), read.toString());
        }
        assertEquals(Optional.of(Role.ADMIN), AccessControl.required("POST", List.of("identities", "ada", "faces")));
        assertEquals(Optional.of(Role.ADMIN), AccessControl.required("PATCH", List.of("identities", "ada")));
        assertEquals(Optional.of(Role.ADMIN), AccessControl.required("DELETE", List.of("identities", "ada")));
        assertEquals(Optional.of(Role.ADMIN), AccessControl.required("POST", List.of("unknowns", "unknown-1", "name")),
                "naming a group enrols a person");
        assertEquals(Optional.of(Role.ADMIN), AccessControl.required("DELETE", List.of("unknowns", "unknown-1")));
        assertEquals(Optional.of(Role.ADMIN), AccessControl.required("GET", List.of("tokens")));
        assertEquals(Optional.of(Role.ADMIN), AccessControl.required("POST", List.of("health")));
        assertEquals(Optional.of(Role.ADMIN), AccessControl.required("POST", List.of("console")));
    }
}
