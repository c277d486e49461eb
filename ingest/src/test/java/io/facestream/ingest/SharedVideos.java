package io.facestream.ingest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The test videos under {@code ../shared/data/video}; a test that needs an absent one is skipped with the reason. */
final class SharedVideos {

    static final String TEARS_640 = "tears_of_steel_cc-by_640x360_10s.mp4";

    private SharedVideos() {
    }

    static Path video(String name) {
        String shared = System.getProperty("facestream.shared");
        Path path = shared == null ? null : Path.of(shared, "data", "video", name);
        boolean present = path != null && Files.isRegularFile(path);
        if (!present) {
            String reason = "skipped: test video " + name + " not found (system property facestream.shared="
                    + shared + "; it should point at the shared data folder next to the checkout)";
            System.out.println(reason);
            assumeTrue(false, reason);
        }
        return path;
    }
}
