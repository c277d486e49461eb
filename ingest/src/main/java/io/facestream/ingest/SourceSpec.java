package io.facestream.ingest;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Where frames come from: a video file, a network stream, or a V4L2 camera, parsed from one string. */
public sealed interface SourceSpec {

    /** URL schemes FFmpeg reads as network streams. */
    Set<String> STREAM_SCHEMES = Set.of("rtsp", "rtsps", "rtmp", "http", "https", "udp", "tcp", "srt");

    /** Whether the source has an end that is not an error (only a file does). */
    boolean finite();

    /** A video file read from the local file system. */
    record VideoFile(Path path) implements SourceSpec {
        public VideoFile {
            if (path == null) {
                throw new IllegalArgumentException("video file path must be given, was null");
            }
        }

        @Override
        public boolean finite() {
            return true;
        }

        @Override
        public String toString() {
            return "video file " + path;
        }
    }

    /** A network stream FFmpeg opens by URL (rtsp://, http:// MJPEG or HLS, ...). */
    record StreamUrl(URI url) implements SourceSpec {
        public StreamUrl {
            if (url == null || url.getScheme() == null) {
                throw new IllegalArgumentException("stream URL must have a scheme such as rtsp:// or http://, was " + url);
            }
        }

        @Override
        public boolean finite() {
            return false;
        }

        @Override
        public String toString() {
            // Credentials in the URL must not reach logs or error messages.
            return "stream " + url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "")
                    + (url.getRawPath() == null ? "" : url.getRawPath());
        }
    }

    /** A Video4Linux2 camera such as {@code /dev/video0}. */
    record Device(Path path) implements SourceSpec {
        public Device {
            if (path == null || !path.toString().startsWith("/dev/video")) {
                throw new IllegalArgumentException("camera device must be a /dev/videoN path, was " + path);
            }
        }

        @Override
        public boolean finite() {
            return false;
        }

        @Override
        public String toString() {
            return "camera " + path;
        }
    }

    /**
     * Reads {@code /dev/videoN} as a camera, {@code scheme://...} with a known stream scheme as a stream,
     * {@code file:} URIs and anything else as a video file path.
     */
    static SourceSpec parse(String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must be a video file path, a stream URL (rtsp://, http://) "
                    + "or a camera device (/dev/video0), was " + (source == null ? "null" : "\"" + source + "\""));
        }
        String s = source.strip();
        if (s.matches("/dev/video\\d+")) {
            return new Device(Path.of(s));
        }
        int colon = s.indexOf("://");
        if (colon > 0) {
            String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
            try {
                URI uri = new URI(s);
                if (scheme.equals("file")) {
                    return new VideoFile(Path.of(uri));
                }
                if (STREAM_SCHEMES.contains(scheme)) {
                    return new StreamUrl(uri);
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("source \"" + s + "\" is not a valid URL (" + e.getReason()
                        + "); percent-encode special characters in it", e);
            }
            throw new IllegalArgumentException("source scheme \"" + scheme + "\" is not supported; use one of "
                    + STREAM_SCHEMES + ", file://, a file path or /dev/videoN");
        }
        return new VideoFile(Path.of(s));
    }
}
