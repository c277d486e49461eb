package io.facestream.app;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Renders still photos into a video file, as if a camera had filmed people standing still in front of it: each
 * {@link Shot} is one to two photos side by side on a {@value #WIDTH}×{@value #HEIGHT} grey canvas, held for a number
 * of frames. Photos are drawn at their own size (LFW's 250×250 fit as they are) and only shrunk when they do not fit
 * their half of the canvas, so the faces in the video are the faces of the photos.
 */
final class PhotoVideo {

    static {
        // FFmpeg describes every file it writes on stderr; errors reach us as exceptions anyway.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    /** A neutral background without texture: no face can be found in it and it compresses to almost nothing. */
    static final Color BACKGROUND = new Color(112, 112, 112);
    static final double DEFAULT_FPS = 25;

    /**
     * The encoders the bundled FFmpeg 8.0.1 build (JavaCV 1.5.13) has and that suit a test video. It has no libx264
     * (GPL); H.264 comes from Cisco's OpenH264, Baseline profile, so no B-frames reorder the pictures.
     */
    enum Encoder {
        /** H.264 in MP4, what IP cameras and phones send. */
        H264("libopenh264", "mp4", avutil.AV_PIX_FMT_YUV420P),
        /** MPEG-4 part 2 in MP4. */
        MPEG4("mpeg4", "mp4", avutil.AV_PIX_FMT_YUV420P),
        /** Motion JPEG in AVI: every frame a JPEG, as cheap webcams send. */
        MJPEG("mjpeg", "avi", avutil.AV_PIX_FMT_YUVJ420P);

        final String codec;
        final String container;
        final int pixelFormat;

        Encoder(String codec, String container, int pixelFormat) {
            this.codec = codec;
            this.container = container;
            this.pixelFormat = pixelFormat;
        }
    }

    /**
     * {@code frames} frames of the same picture.
     *
     * @param photos none (an empty canvas), one (centred) or two (side by side) photos
     */
    record Shot(List<Path> photos, int frames) {
        Shot {
            photos = List.copyOf(photos);
            if (photos.size() > 2) {
                throw new IllegalArgumentException("a shot holds at most two photos side by side, got " + photos.size());
            }
            if (frames < 1) {
                throw new IllegalArgumentException("a shot needs at least one frame, was " + frames);
            }
        }
    }

    private PhotoVideo() {
    }

    /** A shot of {@code frames} frames of the photos (none for an empty canvas). */
    static Shot shot(int frames, Path... photos) {
        return new Shot(List.of(photos), frames);
    }

    /** Renders the shots at {@value #DEFAULT_FPS} fps with H.264; returns {@code file}. */
    static Path render(Path file, List<Shot> shots) {
        return render(file, shots, DEFAULT_FPS, Encoder.H264);
    }

    /** Renders the shots into {@code file} (its container is the encoder's, whatever the file's name says). */
    static Path render(Path file, List<Shot> shots, double fps, Encoder encoder) {
        return render(file, shots, fps, encoder, () -> { });
    }

    /** {@link #render(Path, List, double, Encoder)}, calling {@code afterShot} after each shot is written. */
    static Path render(Path file, List<Shot> shots, double fps, Encoder encoder, Runnable afterShot) {
        return render(file, shots, fps, encoder, BACKGROUND, afterShot);
    }

    /** {@link #render(Path, List, double, Encoder, Runnable)} on a canvas of colour {@code background}. */
    static Path render(Path file, List<Shot> shots, double fps, Encoder encoder, Color background, Runnable afterShot) {
        if (shots.isEmpty()) {
            throw new IllegalArgumentException("a video needs at least one shot");
        }
        // Only the last picture is kept: a video of thousands of photos must not hold them all.
        List<Path> lastPhotos = null;
        BufferedImage picture = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT, 0);
                 Java2DFrameConverter converter = new Java2DFrameConverter()) {
                recorder.setFormat(encoder.container);
                recorder.setVideoCodecName(encoder.codec);
                recorder.setPixelFormat(encoder.pixelFormat);
                recorder.setFrameRate(fps);
                // A key frame a second, as cameras do; a short test video then still has more than one GOP.
                recorder.setGopSize((int) Math.max(1, Math.round(fps)));
                // Generous: the faces must come out of the codec close to the photos that went in.
                recorder.setVideoBitrate(4_000_000);
                recorder.setVideoQuality(encoder == Encoder.H264 ? -1 : 2);
                recorder.start();
                for (Shot shot : shots) {
                    if (!shot.photos().equals(lastPhotos)) {
                        picture = canvas(shot.photos(), background);
                        lastPhotos = shot.photos();
                    }
                    for (int i = 0; i < shot.frames(); i++) {
                        recorder.record(converter.convert(picture));
                    }
                    afterShot.run();
                }
                recorder.stop();
            }
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException("could not encode " + file + " with " + encoder.codec + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** The picture a shot of these photos shows: what every frame of the shot looks like before encoding. */
    static BufferedImage canvas(List<Path> photos) {
        return canvas(photos, BACKGROUND);
    }

    /** {@link #canvas(List)} on a canvas of colour {@code background}. */
    static BufferedImage canvas(List<Path> photos, Color background) {
        BufferedImage canvas = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setColor(background);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            List<BufferedImage> images = new ArrayList<>();
            for (Path p : photos) {
                images.add(read(p));
            }
            int slotWidth = WIDTH / Math.max(1, images.size());
            for (int i = 0; i < images.size(); i++) {
                BufferedImage img = images.get(i);
                // Shrink only what does not fit its slot with a small margin; never enlarge a face.
                double scale = Math.min(1, Math.min((slotWidth - 20) / (double) img.getWidth(),
                        (HEIGHT - 20) / (double) img.getHeight()));
                int w = (int) Math.round(img.getWidth() * scale);
                int h = (int) Math.round(img.getHeight() * scale);
                int x = i * slotWidth + (slotWidth - w) / 2;
                int y = (HEIGHT - h) / 2;
                g.drawImage(img, x, y, w, h, null);
            }
        } finally {
            g.dispose();
        }
        return canvas;
    }

    private static BufferedImage read(Path photo) {
        try {
            BufferedImage img = ImageIO.read(photo.toFile());
            if (img == null) {
                throw new IllegalArgumentException(photo + " is not an image ImageIO can read");
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + photo + ": " + e.getMessage(), e);
        }
    }
}
