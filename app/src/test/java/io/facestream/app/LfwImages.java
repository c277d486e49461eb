package io.facestream.app;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Images from the shared archives (LFW, Extended Yale B), extracted with {@code tar} (skips the test where an archive
 * is absent).
 */
final class LfwImages {

    private LfwImages() {
    }

    static Path shared() {
        String p = System.getProperty("facestream.shared");
        Path dir = p != null ? Path.of(p) : Path.of("..", "..", "shared");
        return dir.toAbsolutePath().normalize();
    }

    /** Paths of the named images ("George_W_Bush_0001"), extracted into target/ on first use. */
    static List<Path> get(String... names) throws IOException, InterruptedException {
        Path out = Path.of("target", "lfw-sample").toAbsolutePath();
        List<String> members = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        for (String n : names) {
            String person = n.substring(0, n.lastIndexOf('_'));
            Path p = out.resolve("lfw").resolve(person).resolve(n + ".jpg");
            paths.add(p);
            if (!Files.exists(p)) {
                members.add("lfw/" + person + "/" + n + ".jpg");
            }
        }
        extract("data/lfw-deepfunneled.tgz", out, members);
        return paths;
    }

    /**
     * Extracts {@code members} (files or folders, as named in the archive) of the shared folder's {@code archive} into
     * {@code into}; skips the calling test, with the reason printed, where the archive is absent.
     */
    static void extract(String archive, Path into, List<String> members) throws IOException, InterruptedException {
        Path tgz = shared().resolve(archive);
        if (!Files.isRegularFile(tgz)) {
            String why = "skipped: " + tgz + " is absent (the shared data folder is not beside the checkout)";
            System.out.println(why);
            assumeTrue(false, why);
        }
        if (members.isEmpty()) {
            return;
        }
        Files.createDirectories(into);
        List<String> cmd = new ArrayList<>(List.of("tar", "xzf", tgz.toString(), "-C", into.toString()));
        cmd.addAll(members);
        Process proc = new ProcessBuilder(cmd).inheritIO().start();
        if (proc.waitFor() != 0) {
            throw new IOException("tar could not extract " + members + " from " + tgz);
        }
    }
}
