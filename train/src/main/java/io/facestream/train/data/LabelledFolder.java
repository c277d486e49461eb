package io.facestream.train.data;

import io.facestream.recognize.eval.TextLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A folder in LFW's layout, {@code DIR/<Name>/<image>}, one sub-folder per person, optionally restricted
 * to the people of a list file ({@code Name<TAB>count} per line, as LFW's {@code people.txt} and Yale B's
 * {@code train_people.txt}).
 */
public final class LabelledFolder {

    private final Path root;
    /** Person → image files, both in sorted order. */
    private final Map<String, List<Path>> people;

    private LabelledFolder(Path root, Map<String, List<Path>> people) {
        this.root = root;
        this.people = people;
    }

    /**
     * Lists {@code root}'s people and their images (JPEG and PNG), restricted to {@code names} when not null,
     * in the order of {@code names} (else sorted).
     */
    public static LabelledFolder open(Path root, List<String> names) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + " is not a folder; give the folder that holds one sub-folder per person");
        }
        List<String> chosen = names;
        if (chosen == null) {
            try (Stream<Path> s = Files.list(root)) {
                chosen = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            }
        }
        Map<String, List<Path>> people = new LinkedHashMap<>();
        for (String name : chosen) {
            Path dir = root.resolve(name);
            if (!Files.isDirectory(dir)) {
                throw new IOException("person " + name + " has no folder " + dir);
            }
            List<Path> images;
            try (Stream<Path> s = Files.list(dir)) {
                images = s.filter(LabelledFolder::isImage).sorted().toList();
            }
            if (!images.isEmpty()) {
                people.put(name, images);
            }
        }
        return new LabelledFolder(root, people);
    }

    /** Reads a people file: the first tab-separated field of each non-empty line; a count line alone is skipped. */
    public static List<String> readPeople(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : TextLines.read(file, "people file", "one name per line (a tab and a count may follow)")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\t");
            if (f.length == 1 && f[0].chars().allMatch(Character::isDigit)) {
                continue; // LFW's people.txt starts a set with its size
            }
            out.add(f[0]);
        }
        if (out.isEmpty()) {
            throw new IOException(file + " names no people; expected lines of \"Name<TAB>count\"");
        }
        return out;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"));
    }

    /** The folder. */
    public Path root() {
        return root;
    }

    /** The people, in order. */
    public List<String> names() {
        return List.copyOf(people.keySet());
    }

    /** One person's images. */
    public List<Path> images(String name) {
        return people.getOrDefault(name, List.of());
    }

    /** A folder restricted to some of its people (in the given order). */
    public LabelledFolder restrictedTo(List<String> names) {
        Map<String, List<Path>> sub = new LinkedHashMap<>();
        for (String n : names) {
            if (people.containsKey(n)) {
                sub.put(n, people.get(n));
            }
        }
        return new LabelledFolder(root, sub);
    }

    /** Every person's images, person by person. */
    public List<Path> allImages() {
        return people.values().stream().flatMap(List::stream).toList();
    }

    /** Images in all. */
    public int imageCount() {
        return people.values().stream().mapToInt(List::size).sum();
    }
}
