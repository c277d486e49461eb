package io.facestream.recognize.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the read-only reference data and data sets ({@code ../shared} beside the checkout).
 * Tests that need them are skipped, with the reason printed, only where the folder is absent.
 */
public final class SharedData {

    private SharedData() {
    }

    /** The shared folder, or null when it is not there. */
    public static Path root() {
        String p = System.getProperty("facestream.shared");
        Path dir = p != null ? Path.of(p) : Path.of("..", "..", "shared");
        return Files.isDirectory(dir) ? dir.toAbsolutePath().normalize() : null;
    }

    /** A file or folder under the shared folder; skips the calling test with a printed reason if absent. */
    public static Path require(String relative) {
        Path root = root();
        Path file = root == null ? null : root.resolve(relative);
        if (file == null || !Files.exists(file)) {
            String why = "skipped: " + relative + " not found (the shared reference folder "
                    + (root == null ? "is absent" : "at " + root + " lacks it") + ")";
            System.out.println(why);
            assumeTrue(false, why);
        }
        return file;
    }
}
