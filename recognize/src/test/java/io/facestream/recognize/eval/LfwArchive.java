package io.facestream.recognize.eval;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/** One pass over the LFW tgz: the names of its regular files and the text of its pairs.txt. */
record LfwArchive(Set<String> files, String pairsPath, String pairsText) {

    static LfwArchive read(Path tgz) throws IOException {
        Set<String> files = new HashSet<>();
        String pairsPath = null;
        String pairsText = null;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
            byte[] h = new byte[512];
            String longName = null;
            while (in.readNBytes(h, 0, 512) == 512 && h[0] != 0) {
                String name = text(h, 0, 100);
                String prefix = text(h, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(text(h, 124, 12).trim(), 8);
                char type = (char) h[156];
                boolean wanted = type == 'L' || name.endsWith("/pairs.txt") || (longName != null && longName.endsWith("/pairs.txt"));
                byte[] body = wanted ? in.readNBytes((int) size) : null;
                if (!wanted) {
                    in.skipNBytes(size);
                }
                in.skipNBytes((512 - size % 512) % 512);
                if (type == 'L') {
                    longName = text(body, 0, body.length);
                    continue;
                }
                String path = longName != null ? longName : name;
                longName = null;
                if (type == '0' || type == 0) {
                    files.add(path);
                    if (body != null) {
                        pairsPath = path;
                        pairsText = new String(body, StandardCharsets.UTF_8);
                    }
                }
            }
        }
        return new LfwArchive(files, pairsPath, pairsText);
    }

    private static String text(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, off, end - off);
        return out.toString(StandardCharsets.UTF_8);
    }
}
