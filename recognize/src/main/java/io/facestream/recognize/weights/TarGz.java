package io.facestream.recognize.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/** Reads selected regular files out of a gzip-compressed ustar archive, such as the one {@code npm pack} writes. */
final class TarGz {

    private static final int BLOCK = 512;

    private TarGz() {
    }

    /** Returns the contents of the wanted entries (archive paths), found ones only. */
    static Map<String, byte[]> extract(Path archive, Set<String> wanted) throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (readFully(in, header)) {
                if (isZero(header)) {
                    break;
                }
                String name = cString(header, 0, 100);
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(cString(header, 124, 12).trim().isEmpty() ? "0" : cString(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                byte[] body = null;
                boolean keep = type == 'L' || type == 'x' || ((type == '0' || type == 0)
                        && wanted.contains(longName != null ? longName : name));
                if (keep) {
                    body = readBytes(in, size);
                } else {
                    skip(in, size);
                }
                skip(in, (BLOCK - size % BLOCK) % BLOCK);
                if (type == 'L') {
                    longName = cString(body, 0, body.length);
                    continue;
                }
                if (type == 'x') {
                    String path = paxPath(body);
                    if (path != null) {
                        longName = path;
                    }
                    continue;
                }
                if (body != null) {
                    found.put(longName != null ? longName : name, body);
                }
                longName = null;
            }
        }
        return found;
    }

    private static String paxPath(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.startsWith("path=", sp + 1)) {
                return line.substring(sp + 6);
            }
        }
        return null;
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int off = 0;
        while (off < buf.length) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                return false;
            }
            off += n;
        }
        return true;
    }

    private static byte[] readBytes(InputStream in, long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("archive ends inside an entry");
            }
            out.write(buf, 0, n);
            left -= n;
        }
        return out.toByteArray();
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("archive ends inside an entry");
                }
                s = 1;
            }
            left -= s;
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }
}
