package io.facestream.gallery.http;

import com.sun.net.httpserver.HttpExchange;
import io.facestream.core.codec.Codec;
import io.facestream.gallery.auth.ApiToken;
import io.facestream.gallery.auth.ApiTokens;
import io.facestream.gallery.auth.AuditLog;
import io.facestream.gallery.auth.Principal;
import io.facestream.gallery.auth.Role;
import io.facestream.gallery.console.ClusterFigures;
import io.facestream.gallery.console.LiveFeed;
import io.facestream.gallery.console.Scene;
import io.facestream.gallery.console.Subscriber;
import io.facestream.gallery.metrics.GalleryMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The routes the console reads besides the gallery's:
 *
 * <pre>
 * GET  /live                  Server-Sent Events: a "scene" per frame with faces (and quiet cameras' newest frames)
 * GET  /models                the published models (figures and training curve, no weights) and the one the job
 *                             recognises with now
 * GET  /status                frames/s per camera, capture → console latency, consumer lag, dead letters
 * GET  /metrics               Prometheus metrics (no token needed)
 * GET  /whoami                the token's name and role
 * GET  /tokens                the tokens' names and roles (admin)
 * POST /tokens?name=&amp;role=    a new token, shown once, kept (its digest) across restarts (admin)
 * DELETE /tokens/{name}        revokes an issued token (admin)
 * </pre>
 */
public final class ConsoleApi {

    /** Browsers watching at once; each holds one HTTP thread while it watches. */
    public static final int MAX_WATCHERS = 8;
    /** A comment line this often keeps proxies and the browser from closing a quiet stream. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Codec<Scene> SCENE = Codec.json(Scene.class);

    private final LiveFeed feed;
    private final ClusterFigures cluster;
    private final ApiTokens tokens;
    private final AuditLog audit;
    private final Supplier<KafkaStreams.State> state;
    private final Semaphore watchers = new Semaphore(MAX_WATCHERS);
    private final GalleryMetrics metrics;

    public ConsoleApi(LiveFeed feed, ClusterFigures cluster, ApiTokens tokens, AuditLog audit,
            Supplier<KafkaStreams.State> state, GalleryMetrics metrics) {
        this.metrics = metrics;
        this.feed = feed;
        this.cluster = cluster;
        this.tokens = tokens;
        this.audit = audit;
        this.state = state;
    }

    /** The routes this class answers, by first path segment. */
    static final Set<String> ROUTES = Set.of("live", "models", "status", "whoami", "tokens", "metrics");

    void route(HttpExchange ex, String method, List<String> path) throws IOException {
        if (path.size() == 2 && path.get(0).equals("tokens")) {
            Params.allow(method, "DELETE");
            HttpIo.query(ex, Set.of(), "DELETE /tokens/{name}");
            revoke(ex, path.get(1));
            return;
        }
        if (path.size() != 1) {
            throw ApiError.notFound("no resource at " + ex.getRequestURI().getRawPath());
        }
        switch (path.get(0)) {
            case "live" -> {
                Params.allow(method, "GET");
                HttpIo.query(ex, Set.of(), "GET /live");
                live(ex);
            }
            case "models" -> {
                Params.allow(method, "GET");
                HttpIo.query(ex, Set.of(), "GET /models");
                HttpIo.json(ex, 200, new Views.Models(feed.liveModelId(), feed.models()));
            }
            case "status" -> {
                Params.allow(method, "GET");
                HttpIo.query(ex, Set.of(), "GET /status");
                status(ex);
            }
            case "metrics" -> {
                Params.allow(method, "GET");
                byte[] text = metrics.scrape().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                ex.sendResponseHeaders(200, text.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(text);
                }
            }
            case "whoami" -> {
                Params.allow(method, "GET");
                Principal p = AccessControl.principal(ex);
                HttpIo.json(ex, 200, new Views.Token(p.name(), p.role().label(), null));
            }
            default -> {
                Params.allow(method, "GET", "POST");
                if (method.equals("GET")) {
                    HttpIo.query(ex, Set.of(), "GET /tokens");
                    HttpIo.json(ex, 200, new Views.Tokens(tokens.principals().stream()
                            .map(p -> new Views.Token(p.name(), p.role().label(), null)).toList()));
                } else {
                    issue(ex);
                }
            }
        }
    }

    private void issue(HttpExchange ex) throws IOException {
        Map<String, String> q = HttpIo.query(ex, Set.of("name", "role"), "POST /tokens");
        String name = q.getOrDefault("name", "");
        if (!ApiToken.NAME.matcher(name).matches()) {
            throw ApiError.badRequest("name must be 1-64 letters, digits, '.', '_', '@' or '-', was \"" + name + "\"");
        }
        Role role;
        try {
            role = Role.parse(q.getOrDefault("role", "read"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        if (tokens.principals().stream().anyMatch(p -> p.name().equals(name))) {
            throw new ApiError(409, "a token named " + name + " exists already; choose another name");
        }
        audit.record(AccessControl.principal(ex), AuditLog.Action.ISSUE_TOKEN, null, null, null,
                "token " + name + " (" + role.label() + ")");
        ApiToken t = tokens.issue(name, role);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        HttpIo.json(ex, 201, new Views.Token(t.name(), t.role().label(), t.secret()));
    }

    private void revoke(HttpExchange ex, String name) throws IOException {
        if (tokens.principals().stream().noneMatch(p -> p.name().equals(name))) {
            throw ApiError.notFound("no token named " + Params.abbreviate(name) + "; GET /tokens lists them");
        }
        if (AccessControl.principal(ex).name().equals(name)) {
            throw new ApiError(409, "a token cannot revoke itself; use another admin token");
        }
        if (!tokens.issued(name)) {
            throw new ApiError(409, "token " + name + " comes from the service's options or token file, not from"
                    + " POST /tokens; remove it there and restart the service");
        }
        audit.record(AccessControl.principal(ex), AuditLog.Action.REVOKE_TOKEN, null, null, null, "token " + name);
        tokens.revoke(name);
        HttpIo.json(ex, 200, new Views.Token(name, null, null));
    }

        private void status(HttpExchange ex) throws IOException {
        double[] p = feed.latencyPercentiles();
        ClusterFigures.Figures f = cluster.now();
        HttpIo.json(ex, 200, new Views.Status(state.get().name(), feed.cameras(),
                new Views.Latency(nan(p[0]), nan(p[1]), nan(p[2]), feed.latencySamples()), f.lag(),
                f.deadLetters() < 0 ? null : f.deadLetters(), f.error(), feed.subscribers()));
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10) / 10.0;
    }

    /**
     * Server-Sent Events. Browsers' EventSource cannot send a header, so the console reads this stream with
     * fetch() and the token in the Authorization header; the wire format is the standard one either way.
     */
    private void live(HttpExchange ex) throws IOException {
        if (!watchers.tryAcquire()) {
            throw new ApiError(503, MAX_WATCHERS + " browsers are watching already; close one and retry");
        }
        try (Subscriber s = feed.subscribe()) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("X-Accel-Buffering", "no");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            write(out, ": facestream live view\n\n");
            while (!s.closed()) {
                Scene scene = s.next(KEEP_ALIVE);
                if (scene == null) {
                    write(out, ": keep-alive\n\n");
                } else {
                    write(out, "event: scene\ndata: " + new String(SCENE.encode(scene), StandardCharsets.UTF_8) + "\n\n");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The browser went away.
        } finally {
            watchers.release();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
