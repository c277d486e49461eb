package io.facestream.gallery.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.facestream.gallery.auth.ApiTokens;
import io.facestream.gallery.auth.Principal;
import io.facestream.gallery.auth.Role;
import io.facestream.gallery.ratelimit.TokenBuckets;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate in front of every route: a request must carry {@code Authorization: Bearer <token>} of a token
 * whose role allows it, or it is answered 401 (no or unknown token) or 403 (a read-only token asking to
 * change something) before any route sees it. Open without a token: {@code GET /health}, {@code /health/live} and
 * {@code /health/ready} (for probes),
 * {@code GET /metrics} (for Prometheus; no label names a person) and the console's static files, which hold
 * no data. Reading needs {@link Role#READ}; every other method, and
 * everything under {@code /tokens}, needs {@link Role#ADMIN}. The token is never logged. A token that has used up
 * its {@link TokenBuckets bucket} is answered 429 with {@code Retry-After} until it refills.
 */
public final class AccessControl implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);
    /** Where the handlers behind the gate find who is asking. */
    public static final String PRINCIPAL = "facestream.principal";
    private static final String BEARER = "Bearer ";

    private final ApiTokens tokens;
    private final HttpHandler next;
    private final IntConsumer refusals;
    private final TokenBuckets buckets;

    /** @param refusals told the status (401, 403 or 429) of each request refused here */
    public AccessControl(ApiTokens tokens, TokenBuckets buckets, HttpHandler next, IntConsumer refusals) {
        this.tokens = tokens;
        this.buckets = buckets;
        this.next = next;
        this.refusals = refusals;
    }

    /** The role a request needs, empty when it is open to anyone. */
    static Optional<Role> required(String method, List<String> path) {
        String first = path.isEmpty() ? "" : path.get(0);
        boolean reads = method.equals("GET") || method.equals("HEAD");
        if (reads && (path.isEmpty() || first.equals(ConsoleFiles.PREFIX)
                || (path.size() == 1 && (first.equals("health") || first.equals("metrics")))
                || (path.size() == 2 && first.equals("health") && Set.of("live", "ready").contains(path.get(1))))) {
            return Optional.empty();
        }
        if (first.equals("tokens")) {
            return Optional.of(Role.ADMIN);
        }
        return Optional.of(reads ? Role.READ : Role.ADMIN);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        List<String> path;
        try {
            path = HttpIo.segments(ex);
        } catch (ApiError e) {
            refuse(ex, e.status(), e.getMessage());
            return;
        }
        Optional<Role> needed = required(ex.getRequestMethod(), path);
        if (needed.isEmpty()) {
            next.handle(ex);
            return;
        }
        Optional<Principal> who = tokens.authenticate(bearer(ex));
        if (who.isEmpty()) {
            LOG.info("Refused {} {} from {}: {}", ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    ex.getRemoteAddress().getAddress().getHostAddress(),
                    ex.getRequestHeaders().containsKey("Authorization") ? "unknown token" : "no token");
            refusals.accept(401);
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"facestream\"");
            refuse(ex, 401, ex.getRequestHeaders().containsKey("Authorization")
                    ? "the token is not valid; send a token the gallery service accepts as Authorization: Bearer TOKEN"
                    : "this needs an API token; send it as Authorization: Bearer TOKEN (the service printed an admin"
                        + " token when it started)");
            return;
        }
        if (!who.get().role().allows(needed.get())) {
            refusals.accept(403);
            refuse(ex, 403, "token " + who.get().name() + " is read-only; " + ex.getRequestMethod() + " "
                    + ex.getRequestURI().getRawPath() + " needs an admin token");
            return;
        }
        OptionalLong wait = buckets.take(who.get().name());
        if (wait.isPresent()) {
            refusals.accept(429);
            // Whole seconds, rounded up: what Retry-After can say.
            long seconds = Math.max(1, (wait.getAsLong() + 999) / 1000);
            ex.getResponseHeaders().set("Retry-After", Long.toString(seconds));
            refuse(ex, 429, "token " + who.get().name() + " has made too many requests (the limit is "
                    + buckets.limit() + " per token); retry in " + seconds + " s");
            return;
        }
        ex.setAttribute(PRINCIPAL, who.get());
        next.handle(ex);
    }

    /** Who made the request; only called behind the gate, on routes that need a token. */
    static Principal principal(HttpExchange ex) {
        Object p = ex.getAttribute(PRINCIPAL);
        if (!(p instanceof Principal principal)) {
            throw new IllegalStateException("no principal on " + ex.getRequestURI() + ": the route is not behind the gate");
        }
        return principal;
    }

    private static String bearer(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || h.length() <= BEARER.length() || !h.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return h.substring(BEARER.length()).strip();
    }

    private static void refuse(HttpExchange ex, int status, String reason) throws IOException {
        try (ex) {
            HttpIo.json(ex, status, new Views.Error(status, reason));
        }
    }
}
