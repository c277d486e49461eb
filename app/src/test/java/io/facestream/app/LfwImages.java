package io.facestream.app;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A few LFW images, extracted from the shared archive into target/ (skips the test where it is absent). */
final class LfwImages {

    private LfwImages() {
    }

    static Path shared() {
        String p = System.getProperty("facestream.shared");
        Path dir = p != null ? Path.of(p) : Path.of("..", "..", "shared");
        return dir.toAbsolutePath().normalize();
    }

    /** Paths of the named images ("George_W_Bush_0001"), extracted on first use. */
    static List<Path> get(String... names) throws IOException, InterruptedException {
        Path tgz = shared().resolve("data/lfw-deepfunneled.tgz");
        if (!Files.isRegularFile(tgz)) {
            String why = "skipped: " + tgz + " is absent (the shared data folder is not beside the checkout)";
            System.out.println(why);
            assumeTrue(false, why);
        }
        Path out = Path.of("target", "lfw-sample").toAbsolutePath();
        Files.createDirectories(out);
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
        if (!members.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("tar", "xzf", tgz.toString(), "-C", out.toString()));
            cmd.addAll(members);
            Process proc = new ProcessBuilder(cmd).inheritIO().start();
            if (proc.waitFor() != 0) {
                throw new IOException("tar could not extract " + members + " from " + tgz);
            }
        }
        return paths;
    }
}
