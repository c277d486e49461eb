package io.facestream.gallery.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The operator's console: plain HTML, ES modules and CSS from this jar's resources under {@code /console/},
 * nothing from elsewhere (the Content-Security-Policy says so to the browser as well). The files hold no data;
 * everything they show comes from the API with the token the operator signs in with.
 */
final class ConsoleFiles {

    /** The first path segment of the console's files. */
    static final String PREFIX = "console";
    private static final String ROOT = "/io/facestream/gallery/console/web/";
    private static final Pattern FILE = Pattern.compile("[a-z0-9][a-z0-9_-]*\\.(html|js|css|png|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml");
    /** Same-origin only: no script, style or connection may reach another host; images may be data or blob URLs. */
    static final String CSP = "default-src 'self'; img-src 'self' data: blob:; connect-src 'self'; script-src 'self';"
            + " style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private ConsoleFiles() {
    }

    /** {@code GET /} (a redirect to the console), {@code GET /console/} and {@code GET /console/{file}}. */
    static void serve(HttpExchange ex, List<String> path) throws IOException {
        if (path.isEmpty()) {
            ex.getResponseHeaders().set("Location", "/" + PREFIX + "/");
            ex.sendResponseHeaders(302, -1);
            return;
        }
        if (path.size() > 2) {
            throw ApiError.notFound("no console file at " + ex.getRequestURI().getRawPath());
        }
        String name = path.size() == 1 ? "index.html" : path.get(1);
        if (!FILE.matcher(name).matches()) {
            throw ApiError.notFound("no console file \"" + name + "\"");
        }
        byte[] bytes;
        try (InputStream in = ConsoleFiles.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw ApiError.notFound("no console file \"" + name + "\"");
            }
            bytes = in.readAllBytes();
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        ex.getResponseHeaders().set("Content-Type", TYPES.get(ext));
        ex.getResponseHeaders().set("Content-Security-Policy", CSP);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(200, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
