package io.facestream.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The images of a folder to group, and the person each belongs to when the folder is laid out like LFW. */
final class GroupImages {

    private GroupImages() {
    }

    /** Every JPEG or PNG under {@code dir} (any depth), sorted so that runs are repeatable. */
    static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--images " + dir + " is not a folder; give the folder that holds the face images");
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> out = s.filter(Files::isRegularFile).filter(GroupImages::isImage).sorted().toList();
            if (out.isEmpty()) {
                throw new IllegalArgumentException("--images " + dir + " holds no .jpg, .jpeg or .png file");
            }
            return out;
        }
    }

    /**
     * The person of each image when every image sits one folder below {@code dir} (DIR/&lt;Name&gt;/file, LFW's
     * layout), else null: then nothing is known to measure the groups against.
     */
    static List<String> truth(Path dir, List<Path> images) {
        Path root = dir.toAbsolutePath().normalize();
        String[] names = new String[images.size()];
        for (int i = 0; i < names.length; i++) {
            Path rel = root.relativize(images.get(i).toAbsolutePath().normalize());
            if (rel.getNameCount() != 2) {
                return null;
            }
            names[i] = rel.getName(0).toString();
        }
        return List.of(names);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }
}
