package io.facestream.recognize.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads the float32, C-order arrays of a numpy {@code .npz} file without an engine. */
public final class Npz {

    /** One array: its shape and values in C order. */
    public record Array(int[] shape, float[] data) {
        public float at(int... idx) {
            int off = 0;
            for (int i = 0; i < shape.length; i++) {
                off = off * shape[i] + idx[i];
            }
            return data[off];
        }
    }

    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npz() {
    }

    public static Map<String, Array> read(Path file) throws IOException {
        Map<String, Array> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                try (InputStream in = zip.getInputStream(e)) {
                    String name = e.getName().replaceFirst("\\.npy$", "");
                    out.put(name, parse(in.readAllBytes(), name));
                }
            }
        }
        return out;
    }

    private static Array parse(byte[] b, String name) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int major = b[6];
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : buf.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
        if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
            throw new IOException(name + ": only little-endian float32 C-order arrays are supported: " + header);
        }
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw new IOException(name + ": no shape in header " + header);
        }
        String[] parts = m.group(1).split(",");
        int n = 0;
        int[] shape = new int[parts.length];
        for (String p : parts) {
            if (!p.isBlank()) {
                shape[n++] = Integer.parseInt(p.trim());
            }
        }
        shape = java.util.Arrays.copyOf(shape, n);
        int count = 1;
        for (int d : shape) {
            count *= d;
        }
        float[] data = new float[count];
        buf.position(start + headerLen);
        buf.asFloatBuffer().get(data);
        return new Array(shape, data);
    }
}
