package io.facestream.app.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the checkout's deployment folders from wherever the tests run (Maven runs them in {@code app/}). */
final class RepositoryFiles {

    private RepositoryFiles() {
    }

    /** The checkout: the first folder up from the working directory that has {@code docker/compose.yaml}. */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker").resolve("compose.yaml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docker/compose.yaml above " + Path.of("").toAbsolutePath()
                + "; run the tests from the checkout");
    }
}
