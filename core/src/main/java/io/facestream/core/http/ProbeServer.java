package io.facestream.core.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A deployable's endpoint for Prometheus and Kubernetes, on the JDK's own HTTP server (no data of a camera or a
 * face is served, so no token):
 *
 * <pre>
 * GET /metrics       what {@code scrape} gives, in the Prometheus text format
 * GET /health/live   200 while the process answers (a stuck JVM does not)
 * GET /health/ready  200 or 503 as {@code ready} judges, with its JSON body
 * </pre>
 *
 * Any other method is 405, any other path 404 with the paths it serves.
 */
public final class ProbeServer implements AutoCloseable {

    /** A readiness probe's verdict and the JSON body that says why. */
    public record Readiness(boolean ready, String json) {
    }

    private final HttpServer http;
    private final String who;
    private final Supplier<String> scrape;
    private final Supplier<Readiness> ready;

    private ProbeServer(HttpServer http, String who, Supplier<String> scrape, Supplier<Readiness> ready) {
        this.http = http;
        this.who = who;
        this.scrape = scrape;
        this.ready = ready;
    }

    /**
     * Serves on {@code host:port} (0: any free port); {@code who} names the deployable in messages ("the ingestor").
     */
    public static ProbeServer start(String host, int port, String who, Supplier<String> scrape,
            Supplier<Readiness> ready) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (BindException e) {
            throw new IllegalStateException(who + "'s HTTP endpoint cannot listen on " + host + ":" + port
                    + " because the port is in use; choose another with --http-port (0 picks a free one)", e);
        } catch (IOException e) {
            throw new IllegalStateException(who + "'s HTTP endpoint cannot listen on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        ProbeServer server = new ProbeServer(http, who, scrape, ready);
        http.createContext("/", server::handle);
        http.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, who.replaceFirst("^the ", "") + "-http");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        return server;
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                answer(ex, 405, "text/plain", ex.getRequestMethod() + " is not allowed; use GET\n");
                return;
            }
            switch (path) {
                case "/metrics" -> answer(ex, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.get());
                case "/health/live" -> answer(ex, 200, "application/json", "{\"status\":\"alive\"}\n");
                case "/health/ready" -> {
                    Readiness r = ready.get();
                    answer(ex, r.ready() ? 200 : 503, "application/json", r.json());
                }
                default -> answer(ex, 404, "text/plain", "no resource at " + path + "; " + who
                        + " serves /metrics, /health/live and /health/ready\n");
            }
        }
    }

    private static void answer(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops listening. */
    @Override
    public void close() {
        http.stop(0);
    }
}
