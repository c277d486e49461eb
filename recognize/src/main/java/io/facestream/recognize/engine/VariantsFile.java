package io.facestream.recognize.engine;

import io.facestream.core.Embedding;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The four embeddings of every face of a folder (both networks, plain and mirrored), kept in one file so
 * that the commands which study a whole set (grouping, index benchmarks) embed it once, not on every run.
 *
 * <p>Images are stored by their path relative to the folder, so the file stays valid when the folder moves.
 * A file made from another list of images is not used: {@link #embedOrRead} embeds again and replaces it.
 */
public final class VariantsFile {

    private static final int MAGIC = 0x46535646; // "FSVF"
    private static final int VERSION = 1;

    private VariantsFile() {
    }

    /**
     * What a file holds: the variants of each readable image, the images that needed the fallback crop, and the
     * images that could not be read, with the reason.
     */
    public record Contents(Map<Path, FaceVariants> variants, List<Path> noFace, Map<Path, String> failed) {

        /** Every image the file was made from. */
        public Set<Path> images() {
            Set<Path> all = new HashSet<>(variants.keySet());
            all.addAll(failed.keySet());
            return all;
        }
    }

    /**
     * The variants of {@code images} (all under {@code root}) read from {@code file} when it was made from exactly
     * these images, else embedded with {@code embedder} and written there. {@code progress} sees embedded images.
     */
    public static DatasetEmbedder.Result<FaceVariants> embedOrRead(DatasetEmbedder embedder, Path root, List<Path> images,
            Path file, IntConsumer progress) throws IOException, InterruptedException {
        if (Files.isRegularFile(file)) {
            try {
                Contents c = read(file, root);
                if (c.images().equals(new HashSet<>(images))) {
                    progress.accept(images.size());
                    return new DatasetEmbedder.Result<>(c.variants(), c.noFace(), c.failed(), 0);
                }
            } catch (IOException e) {
                // unreadable or from an older layout: embed again below and replace it
            }
        }
        DatasetEmbedder.Result<FaceVariants> r = embedder.embedVariants(images, progress);
        write(file, root, new Contents(r.embeddings(), r.noFace(), r.failed()));
        return r;
    }

    /** Writes the variants (images in the order given) atomically: a reader never sees half a file. */
    public static void write(Path file, Path root, Contents contents) throws IOException {
        Map<Path, FaceVariants> variants = contents.variants();
        Set<Path> noFace = new HashSet<>(contents.noFace());
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".part");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(variants.size());
            for (Map.Entry<Path, FaceVariants> e : variants.entrySet()) {
                out.writeUTF(relative(root, e.getKey()));
                out.writeBoolean(noFace.contains(e.getKey()));
                FaceVariants v = e.getValue();
                for (Embedding emb : List.of(v.mobileFaceNet(), v.mobileFaceNetFlipped(), v.dlib(), v.dlibFlipped())) {
                    out.writeUTF(emb.modelId());
                    float[] values = emb.values();
                    out.writeInt(values.length);
                    for (float f : values) {
                        out.writeFloat(f);
                    }
                }
            }
            out.writeInt(contents.failed().size());
            for (Map.Entry<Path, String> e : contents.failed().entrySet()) {
                out.writeUTF(relative(root, e.getKey()));
                out.writeUTF(e.getValue());
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a file written by {@link #write}; paths come back resolved against {@code root}. */
    public static Contents read(Path file, Path root) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a facestream variants file");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + " has layout version " + version + ", this build reads " + VERSION
                        + "; delete it and it is made again");
            }
            int n = in.readInt();
            Map<Path, FaceVariants> variants = new LinkedHashMap<>(n * 2);
            List<Path> noFace = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path image = root.resolve(in.readUTF());
                if (in.readBoolean()) {
                    noFace.add(image);
                }
                Embedding[] four = new Embedding[4];
                for (int k = 0; k < 4; k++) {
                    String model = in.readUTF();
                    float[] values = new float[in.readInt()];
                    for (int d = 0; d < values.length; d++) {
                        values[d] = in.readFloat();
                    }
                    four[k] = new Embedding(model, values);
                }
                variants.put(image, new FaceVariants(four[0], four[1], four[2], four[3]));
            }
            int f = in.readInt();
            Map<Path, String> failed = new LinkedHashMap<>();
            for (int i = 0; i < f; i++) {
                failed.put(root.resolve(in.readUTF()), in.readUTF());
            }
            return new Contents(variants, Collections.unmodifiableList(noFace), failed);
        } catch (EOFException e) {
            throw new IOException(file + " ends early: it was cut off; delete it and it is made again", e);
        }
    }

    private static String relative(Path root, Path image) {
        return root.toAbsolutePath().normalize().relativize(image.toAbsolutePath().normalize()).toString();
    }
}
