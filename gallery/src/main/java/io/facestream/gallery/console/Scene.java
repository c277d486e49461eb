package io.facestream.gallery.console;

import io.facestream.core.event.MatchEvent;
import java.time.Instant;
import java.util.List;

/**
 * One frame of a camera with the faces the recognize job found in it: what the live view draws. The JPEG is
 * base64 (it travels in JSON over Server-Sent Events), null when the frame has already left the buffer.
 */
public record Scene(String cameraId, long frameSequence, Instant captureTime, int width, int height, String jpeg,
        List<MatchEvent> faces) {

    public Scene {
        faces = List.copyOf(faces);
    }
}
