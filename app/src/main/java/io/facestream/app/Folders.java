package io.facestream.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Folder chores shared by the commands: listing a gallery's layout (removal is {@code FileTrees.deleteTree}). */
final class Folders {

    private Folders() {
    }

    /** The sub-folders ({@code folders}) or the files of {@code dir}, sorted by name. */
    static List<Path> list(Path dir, boolean folders) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> folders ? Files.isDirectory(p) : Files.isRegularFile(p)).sorted().toList();
        }
    }
}
