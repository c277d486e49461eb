package io.facestream.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.gallery.auth.ApiToken;
import io.facestream.gallery.auth.ApiTokens;
import io.facestream.gallery.auth.Role;
import io.facestream.gallery.http.Tls;
import io.facestream.gallery.ratelimit.RateLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The gallery's options: defaults, durations as people write them, and refusals that name the option. */
class GalleryOptionsTest {

    @Test
    void defaultsListenOnLoopback8080WithATenSecondGap() {
        GalleryOptions o = GalleryOptions.defaults("kafka:9092");
        assertEquals("127.0.0.1", o.httpHost());
        assertEquals(8080, o.httpPort());
        assertEquals(Duration.ofSeconds(10), o.sessionGap());
        Properties p = o.streamsProperties();
        assertEquals("kafka:9092", p.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("read_committed", p.get("isolation.level"), "aborted transactions of the recognize job stay unseen");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertEquals(Duration.ofMillis(500), GalleryOptions.parseDuration("500ms", "--x"));
        assertEquals(Duration.ofSeconds(10), GalleryOptions.parseDuration("10s", "--x"));
        assertEquals(Duration.ofMinutes(5), GalleryOptions.parseDuration("5m", "--x"));
        assertEquals(Duration.ofDays(1), GalleryOptions.parseDuration("1d", "--x"));
        assertEquals(Duration.ofSeconds(90), GalleryOptions.parseDuration("PT1M30S", "--x"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GalleryOptions.parseDuration("ten", "--session-gap"))
                .getMessage().contains("--session-gap must be a duration"));
    }

    @Test
    void badValuesAreRefusedWithTheirRange() {
        GalleryOptions d = GalleryOptions.defaults("kafka:9092");
        assertMessage(() -> GalleryOptions.defaults("kafka"), "host:port", "\"kafka\"");
        assertMessage(() -> d.withHttpPort(70000), "0 (any free port) to 65535", "70000");
        assertMessage(() -> d.withMaxUploadBytes(GalleryOptions.MAX_UPLOAD_BYTES_CEILING + 1), "enrolments topic");
        assertMessage(() -> d.withSessions(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(12)),
                "retention", "PT15S");
        assertMessage(() -> d.withSessions(Duration.ZERO, Duration.ZERO, Duration.ofHours(1)), "session gap");
        assertMessage(() -> d.withApplicationId("my gallery"), "application id", "my gallery");
        assertMessage(() -> d.withMaxImagePixels(10), "pixel limit must be 400 to 67108864", "10");
        assertMessage(() -> d.withMaxImagePixels(8193L * 8193), "pixel limit", "67125249");
        assertMessage(() -> d.withRateLimit(null), "RateLimit.OFF");
        assertEquals(40_000_000L, d.maxImagePixels());
        assertEquals(RateLimit.DEFAULT, d.rateLimit());
    }

    @Test
    void tokensHaveUniqueNamesAndTheAuditLogFollowsTheStateFolder() {
        GalleryOptions d = GalleryOptions.defaults("kafka:9092").withStateDir(Path.of("target/state-a"));
        assertEquals(List.of(), d.tokens(), "none: the service makes an admin token");
        assertEquals(Path.of("target/state-a/audit.jsonl").toAbsolutePath(), d.auditLogFile());
        assertEquals(Path.of("target/state-b/audit.jsonl").toAbsolutePath(),
                d.withStateDir(Path.of("target/state-b")).auditLogFile(), "moves with the state folder");
        assertEquals(Path.of("audit/a.jsonl").toAbsolutePath(),
                d.withAuditLog(Path.of("audit/a.jsonl")).auditLogFile());
        ApiToken a = new ApiToken("ops", Role.ADMIN, ApiTokens.newSecret());
        ApiToken b = new ApiToken("ops", Role.READ, ApiTokens.newSecret());
        assertMessage(() -> d.withTokens(List.of(a, b)), "two API tokens are named ops");
        assertTrue(!d.withTokens(List.of(a)).toString().contains(a.secret()), "no secret in the options' text");
        assertEquals(Path.of("target/state-a/issued-tokens.txt").toAbsolutePath(), d.issuedTokensFile());
        assertEquals(Path.of("t/issued.txt").toAbsolutePath(), d.withIssuedTokens(Path.of("t/issued.txt")).issuedTokensFile());
        String password = ApiTokens.newSecret();
        GalleryOptions tls = d.withTls(new Tls(Path.of("k.p12"), password));
        assertTrue(!tls.toString().contains(password), "no keystore password in the options' text");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String... phrases) {
        String m = assertThrows(IllegalArgumentException.class, e).getMessage();
        for (String p : phrases) {
            assertTrue(m.contains(p), "\"" + p + "\" in: " + m);
        }
    }
}
