package io.facestream.ingest;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * A {@link FrameSource} on JavaCV's {@link FFmpegFrameGrabber}: files (optionally looped and paced at their own frame
 * rate), network streams with I/O timeouts, and V4L2 cameras.
 */
public final class GrabberFrameSource implements FrameSource {

    /** FFmpeg's error codes a camera or file most often gives, as sentences (negated errno and AVERROR tags). */
    private static final Map<Integer, String> FFMPEG_ERRORS = Map.ofEntries(
            Map.entry(-2, "no such file or path"),
            Map.entry(-5, "input/output error"),
            Map.entry(-13, "permission denied"),
            Map.entry(-101, "network unreachable"),
            Map.entry(-110, "connection timed out"),
            Map.entry(-111, "connection refused (nothing listens at that address and port)"),
            Map.entry(-113, "no route to host"),
            Map.entry(averrorTag('I', 'N', 'D', 'A'), "invalid data (not a video FFmpeg can read, or a damaged one)"),
            Map.entry(averrorTag('E', 'O', 'F', ' '), "the input ended before it could be read"),
            Map.entry(averrorTag(0xF8, '4', '0', '0'), "HTTP 400 bad request"),
            Map.entry(averrorTag(0xF8, '4', '0', '1'), "HTTP 401 unauthorized (check the credentials)"),
            Map.entry(averrorTag(0xF8, '4', '0', '3'), "HTTP 403 forbidden (check the credentials)"),
            Map.entry(averrorTag(0xF8, '4', '0', '4'), "HTTP 404 not found (check the path of the URL)"));
    private static final Pattern ERROR_CODE = Pattern.compile("(\\w+)\\(\\) error (-?\\d+)");

    static {
        // FFmpeg prints every recoverable decode glitch of a live stream; failures reach us as exceptions anyway.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private final SourceSpec spec;
    private final boolean loop;
    private final boolean realtime;
    private final FFmpegFrameGrabber grabber;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final Instant openedAt = Instant.now();
    private long firstPts = Long.MIN_VALUE;
    private long loopOffsetMicros;
    private long lastTimestampMicros = -1;
    private long wallStartNanos;
    private boolean closed;

    private GrabberFrameSource(SourceSpec spec, boolean loop, boolean realtime, FFmpegFrameGrabber grabber) {
        this.spec = spec;
        this.loop = loop;
        this.realtime = realtime;
        this.grabber = grabber;
    }

    /**
     * Opens the source and starts its decoder.
     *
     * @param loop start a file again at its end (ignored for streams and cameras)
     * @param realtime pace a file at its own frame rate instead of as fast as it decodes (streams and cameras are
     *     paced by the sender anyway)
     * @param timeout how long a network read or connect may block before it fails
     */
    public static GrabberFrameSource open(SourceSpec spec, boolean loop, boolean realtime, Duration timeout) {
        FFmpegFrameGrabber grabber;
        if (spec instanceof SourceSpec.VideoFile file) {
            if (!Files.isRegularFile(file.path())) {
                throw new FrameSourceException("video file " + file.path().toAbsolutePath() + " does not exist or is "
                        + "not a regular file; give the path of a readable video file", true, null);
            }
            if (!Files.isReadable(file.path())) {
                throw new FrameSourceException("video file " + file.path().toAbsolutePath() + " is not readable; "
                        + "check its permissions", true, null);
            }
            grabber = new FFmpegFrameGrabber(file.path().toFile());
        } else if (spec instanceof SourceSpec.StreamUrl stream) {
            grabber = new FFmpegFrameGrabber(stream.url().toString());
            long micros = timeout.toNanos() / 1000;
            // rw_timeout bounds every protocol read; "timeout" is RTSP's socket timeout; setTimeout interrupts the
            // blocking open and read calls from JavaCV's side as well.
            grabber.setOption("rw_timeout", Long.toString(micros));
            grabber.setOption("timeout", Long.toString(micros));
            grabber.setTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            if (stream.url().getScheme().startsWith("rtsp")) {
                // UDP through NATs and firewalls loses packets and smears frames; TCP is the robust default.
                grabber.setOption("rtsp_transport", "tcp");
            }
        } else if (spec instanceof SourceSpec.Device device) {
            grabber = new FFmpegFrameGrabber(device.path().toString());
            grabber.setFormat("video4linux2");
        } else {
            throw new IllegalArgumentException("unknown source kind " + spec);
        }
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            release(grabber);
            throw new FrameSourceException("could not open " + spec + ": " + describe(e.getMessage()) + hint(spec),
                    spec.finite(), e);
        }
        if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            release(grabber);
            throw new FrameSourceException(spec + " has no video stream FFmpeg can decode (format "
                    + grabber.getFormat() + "); give a source with video in it", spec.finite(), null);
        }
        return new GrabberFrameSource(spec, loop && spec.finite(), realtime && spec.finite(), grabber);
    }

    /** FFmpeg's FFERRTAG: a negated four-character code. */
    private static int averrorTag(int a, int b, int c, int d) {
        return -(a | b << 8 | c << 16 | d << 24);
    }

    /**
     * JavaCV's message for a failed open, said for the person at the camera: the error code as a sentence, and
     * without JavaCV's notes to its own programmers ("Has setFormat() been called?", "FFmpegLogCallback.set()").
     */
    static String describe(String message) {
        if (message == null) {
            return "FFmpeg gave no reason";
        }
        String m = message;
        for (String note : List.of(" (Has setFormat() been called?)", " (For more details, make sure FFmpegLogCallback.set() has been called.)")) {
            m = m.replace(note, "");
        }
        m = m.strip();
        if (m.endsWith(".")) {
            m = m.substring(0, m.length() - 1);
        }
        Matcher code = ERROR_CODE.matcher(m);
        if (code.find()) {
            String reason = FFMPEG_ERRORS.get(Integer.parseInt(code.group(2)));
            if (reason != null) {
                return reason + " (FFmpeg " + code.group(1) + " error " + code.group(2) + ")";
            }
        }
        return m;
    }

    private static String hint(SourceSpec spec) {
        if (spec instanceof SourceSpec.VideoFile) {
            return ". Is it a complete video file? Check it with: ffprobe \"" + ((SourceSpec.VideoFile) spec).path() + "\"";
        }
        if (spec instanceof SourceSpec.Device) {
            return ". Is the camera connected and not in use by another program? List cameras with: v4l2-ctl --list-devices";
        }
        return ". Check that the URL, the credentials and the network path to the camera are right";
    }

    /** The source's nominal frame rate, 0 when it does not say. */
    public double frameRate() {
        double rate = grabber.getFrameRate();
        return Double.isFinite(rate) && rate > 0 ? rate : 0;
    }

    /** Picture width in pixels as the decoder reports it. */
    public int width() {
        return grabber.getImageWidth();
    }

    /** Picture height in pixels as the decoder reports it. */
    public int height() {
        return grabber.getImageHeight();
    }

    @Override
    public Optional<DecodedFrame> next() {
        if (closed) {
            throw new IllegalStateException(spec + " is closed; open a new source to read again");
        }
        Frame frame = grab();
        if (frame == null && loop && lastTimestampMicros >= 0) {
            rewind();
            frame = grab();
        }
        if (frame == null) {
            return Optional.empty();
        }
        if (firstPts == Long.MIN_VALUE) {
            // Containers often start at a non-zero presentation time; timestamps count from the first frame.
            firstPts = frame.timestamp;
        }
        if (wallStartNanos == 0) {
            wallStartNanos = System.nanoTime();
        }
        long ts = loopOffsetMicros + Math.max(0, frame.timestamp - firstPts);
        if (ts <= lastTimestampMicros) {
            // Broken or repeated timestamps must not go backwards for the frame-rate cap and the pacing.
            ts = lastTimestampMicros + 1;
        }
        lastTimestampMicros = ts;
        if (realtime) {
            pace(ts);
        }
        Instant captureTime = spec.finite() ? openedAt.plusNanos(ts * 1000) : Instant.now();
        return Optional.of(new DecodedFrame(converter.getBufferedImage(frame), ts, captureTime));
    }

    private Frame grab() {
        try {
            return grabber.grabImage();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new FrameSourceException("could not read a frame from " + spec + " after "
                    + (lastTimestampMicros < 0 ? "no" : lastTimestampMicros / 1000 + " ms of") + " video: "
                    + e.getMessage() + hint(spec), false, e);
        }
    }

    private void rewind() {
        double rate = frameRate();
        // The next loop's first frame comes one frame after the last one, so timestamps and pacing run on.
        loopOffsetMicros = lastTimestampMicros + (long) (1_000_000 / (rate > 0 ? rate : 25));
        firstPts = Long.MIN_VALUE;
        try {
            grabber.restart();
        } catch (FrameGrabber.Exception e) {
            throw new FrameSourceException("could not start " + spec + " again for the next loop: " + e.getMessage(),
                    false, e);
        }
    }

    private void pace(long timestampMicros) {
        long dueNanos = wallStartNanos + timestampMicros * 1000;
        long waitNanos = dueNanos - System.nanoTime();
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FrameSourceException("reading " + spec + " was interrupted", false, e);
            }
        }
    }

    @Override
    public String description() {
        return spec.toString();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release(grabber);
            converter.close();
        }
    }

    private static void release(FFmpegFrameGrabber grabber) {
        try {
            grabber.release();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            // Nothing useful to do: the native decoder is gone either way.
        }
    }
}
