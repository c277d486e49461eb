package io.facestream.recognize.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A few named LFW images extracted with {@code tar} from the shared archive into target/. */
final class LfwSample {

    private LfwSample() {
    }

    /** Image name ("George_W_Bush_0001") → extracted JPEG. */
    static Map<String, Path> extract(Path tgz, String... names) throws IOException, InterruptedException {
        Path out = Path.of("target", "lfw-sample").toAbsolutePath();
        Files.createDirectories(out);
        Map<String, Path> paths = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            String person = n.substring(0, n.lastIndexOf('_'));
            String member = "lfw/" + person + "/" + n + ".jpg";
            Path p = out.resolve(member);
            paths.put(n, p);
            if (!Files.exists(p)) {
                missing.add(member);
            }
        }
        if (!missing.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("tar", "xzf", tgz.toString(), "-C", out.toString()));
            cmd.addAll(missing);
            Process tar = new ProcessBuilder(cmd).inheritIO().start();
            if (tar.waitFor() != 0) {
                throw new IOException("tar could not extract " + missing + " from " + tgz);
            }
        }
        return paths;
    }
}
