package io.facestream.gallery.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens: who a secret belongs to, what each role may do, token files, and secrets kept out of every text. */
class ApiTokensTest {

    @TempDir Path dir;

    @Test
    void aSecretNamesItsTokenAndNothingElseDoes() {
        String admin = ApiTokens.newSecret();
        String reader = ApiTokens.newSecret();
        ApiTokens tokens = ApiTokens.of(List.of(new ApiToken("ops", Role.ADMIN, admin), new ApiToken("wall", Role.READ, reader)));
        assertEquals(Optional.of(new Principal("ops", Role.ADMIN)), tokens.authenticate(admin));
        assertEquals(Optional.of(new Principal("wall", Role.READ)), tokens.authenticate(reader));
        assertEquals(Optional.empty(), tokens.authenticate(null));
        assertEquals(Optional.empty(), tokens.authenticate(""));
        assertEquals(Optional.empty(), tokens.authenticate(admin.substring(1)));
        assertEquals(Optional.empty(), tokens.authenticate(admin + "x"));
        assertEquals(Optional.empty(), tokens.authenticate(admin.toUpperCase()));
        assertEquals(43, admin.length(), "32 random bytes in base64url");
        assertNotEquals(admin, reader);

        ApiToken issued = tokens.issue("kiosk", Role.READ);
        assertEquals(Optional.of(new Principal("kiosk", Role.READ)), tokens.authenticate(issued.secret()));
        assertThrows(IllegalArgumentException.class, () -> tokens.add(new ApiToken("ops", Role.READ, ApiTokens.newSecret())));
        assertThrows(IllegalArgumentException.class, () -> tokens.add(new ApiToken("other", Role.READ, admin)));
        assertFalse(tokens.principals().toString().contains(admin));
    }

    @Test
    void readOnlyAllowsReadingAndAdminEverything() {
        assertTrue(Role.READ.allows(Role.READ));
        assertFalse(Role.READ.allows(Role.ADMIN));
        assertTrue(Role.ADMIN.allows(Role.READ));
        assertTrue(Role.ADMIN.allows(Role.ADMIN));
        assertEquals(Role.ADMIN, Role.parse(" Admin "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Role.parse("root")).getMessage()
                .contains("read or admin"));
    }

    @Test
    void secretsStayOutOfMessagesAndToString() throws Exception {
        String secret = ApiTokens.newSecret();
        ApiToken t = new ApiToken("ops", Role.ADMIN, secret);
        assertEquals("ApiToken[ops, admin]", t.toString());
        String shortOne = "tooshort";
        String m = assertThrows(IllegalArgumentException.class, () -> new ApiToken("ops", Role.ADMIN, shortOne)).getMessage();
        assertTrue(m.contains("8 characters") && !m.contains(shortOne), m);

        Path file = dir.resolve("tokens");
        Files.writeString(file, "# name role secret\nops admin " + secret + "\n\nwall read " + ApiTokens.newSecret() + "\n");
        List<ApiToken> read = ApiTokens.read(file);
        assertEquals(List.of("ops", "wall"), read.stream().map(ApiToken::name).toList());
        assertEquals(secret, read.get(0).secret());
        Files.writeString(file, "ops admin\nwall root " + secret + "\n");
        m = assertThrows(IllegalArgumentException.class, () -> ApiTokens.read(file)).getMessage();
        assertTrue(m.contains("line 1") && m.contains("NAME ROLE SECRET"), m);
        Files.writeString(file, "wall root " + secret + "\n");
        m = assertThrows(IllegalArgumentException.class, () -> ApiTokens.read(file)).getMessage();
        assertTrue(m.contains("line 1") && m.contains("read or admin") && !m.contains(secret), m);
        Files.writeString(file, secret + "\n");
        assertEquals(secret, ApiTokens.readSecret(file));
    }

    @Test
    void theAuditLogAppendsOneJsonLinePerChange() throws Exception {
        Path file = dir.resolve("logs").resolve("audit.jsonl");
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T06:00:00Z"), ZoneOffset.UTC);
        try (AuditLog log = AuditLog.open(file, clock)) {
            log.record(new Principal("ops", Role.ADMIN), AuditLog.Action.ENROL, "ada", "Ada", "r-1", null);
            log.record(new Principal("ops", Role.ADMIN), AuditLog.Action.DELETE, "ada", null, null, null);
        }
        try (AuditLog log = AuditLog.open(file, clock)) {
            log.record(new Principal("ops", Role.ADMIN), AuditLog.Action.ISSUE_TOKEN, null, null, null, "token wall (read)");
        }
        assertEquals(List.of(
                "{\"time\":\"2026-11-26T06:00:00Z\",\"actor\":\"ops\",\"role\":\"admin\",\"action\":\"enrol\",\"identity_id\":\"ada\",\"display_name\":\"Ada\",\"request_id\":\"r-1\"}",
                "{\"time\":\"2026-11-26T06:00:00Z\",\"actor\":\"ops\",\"role\":\"admin\",\"action\":\"delete\",\"identity_id\":\"ada\"}",
                "{\"time\":\"2026-11-26T06:00:00Z\",\"actor\":\"ops\",\"role\":\"admin\",\"action\":\"issue-token\",\"detail\":\"token wall (read)\"}"),
                Files.readAllLines(file), "appended across reopenings, one object a line");
    }
}
