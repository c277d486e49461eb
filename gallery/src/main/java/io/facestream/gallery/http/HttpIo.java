package io.facestream.gallery.http;

import com.sun.net.httpserver.HttpExchange;
import io.facestream.core.codec.Codec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading requests and writing JSON answers on the JDK's HTTP server. */
final class HttpIo {

    private HttpIo() {
    }

    /** The path's segments, each percent-decoded; a trailing slash is ignored. */
    static List<String> segments(HttpExchange ex) {
        List<String> out = new ArrayList<>();
        for (String s : ex.getRequestURI().getRawPath().split("/")) {
            if (!s.isEmpty()) {
                out.add(decode(s.replace("+", "%2B")));
            }
        }
        return out;
    }

    /** The query parameters; one the route does not know, or one given twice, is a 400 that names it. */
    static Map<String, String> query(HttpExchange ex, Set<String> known, String route) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!known.contains(name)) {
                throw ApiError.badRequest("unknown query parameter \"" + name + "\"; " + route + " takes "
                        + (known.isEmpty() ? "none" : String.join(", ", known.stream().sorted().toList())));
            }
            if (params.put(name, value) != null) {
                throw ApiError.badRequest("query parameter \"" + name + "\" is given twice; give it once");
            }
        }
        return params;
    }

    /**
     * The request body, at most {@code limit} bytes. A larger one is a 413; it is read (up to
     * {@link ApiLimits#MAX_DRAIN_BYTES}) and dropped so that the client gets the answer.
     */
    static byte[] body(HttpExchange ex, int limit) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("Content-Length must be a number of bytes, was \"" + declared + "\"");
            }
            if (length < 0) {
                throw ApiError.badRequest("Content-Length must be a number of bytes, was \"" + declared + "\"");
            }
            if (length > limit) {
                drain(ex.getRequestBody());
                throw tooLarge(length + " bytes", limit);
            }
        }
        InputStream in = ex.getRequestBody();
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared == null ? 64 * 1024
                : (int) Math.max(1, Long.parseLong(declared.trim())));
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            total += n;
            if (total > limit) {
                drain(in);
                throw tooLarge("more than " + limit + " bytes", limit);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Writes {@code body} as JSON with the status, and ends the exchange. */
    static void json(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = encode(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Writes a face image (a person's crop, an unknown group's face) that no cache may keep, and ends the exchange. */
    static void image(HttpExchange ex, byte[] bytes, String contentType) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "private, no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> byte[] encode(T body) {
        return Codec.json((Class<T>) body.getClass()).encode(body);
    }

    private static ApiError tooLarge(String size, int limit) {
        return new ApiError(413, "the image is " + size + "; the limit is " + limit + " bytes (" + readable(limit)
                + "): send a smaller photo (a face needs no more than 1000 px)");
    }

    private static String readable(long bytes) {
        return bytes >= 1024 * 1024 ? String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024))
                : String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long drained = 0;
        int n;
        while (drained < ApiLimits.MAX_DRAIN_BYTES && (n = in.read(buf)) >= 0) {
            drained += n;
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("\"" + s + "\" is not valid percent-encoding: " + e.getMessage());
        }
    }
}
