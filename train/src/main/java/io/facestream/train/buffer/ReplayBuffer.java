package io.facestream.train.buffer;

import io.facestream.core.event.HardExample.LabelSource;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The identity-balanced replay buffer: labelled face crops, bounded in total and per identity, kept in
 * memory and mirrored to a folder (one file per face, written atomically), so that reopening the folder
 * gives the same contents after a restart.
 *
 * <p>When a bound is exceeded the oldest face of the identity with the most faces goes first (the
 * oldest overall among equally large identities): the rare identities, which teach the most per face,
 * are kept, and each identity keeps its newest views. Thread-safe.
 */
public final class ReplayBuffer {

    private static final int MAGIC = 0x46534246; // "FSBF"
    /**
     * 2 adds the lineage after the label source, 3 the frame's other labels after it; files of formats 1 and 2 are
     * still read (no lineage, no negatives).
     */
    private static final int FORMAT = 3;
    private static final String SUFFIX = ".face";

    private final Path dir;
    private final BufferOptions options;
    /** Faces of each identity, oldest first. */
    private final Map<String, Deque<BufferedFace>> byLabel = new TreeMap<>();
    private int size;
    private long nextSequence;

    private ReplayBuffer(Path dir, BufferOptions options) {
        this.dir = dir;
        this.options = options;
    }

    /** Opens (or creates) the buffer in {@code dir}; faces already there beyond the bounds are evicted. */
    public static ReplayBuffer open(Path dir, BufferOptions options) throws IOException {
        Files.createDirectories(dir);
        ReplayBuffer b = new ReplayBuffer(dir, options);
        List<BufferedFace> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                found.add(read(f));
            }
        }
        found.sort(Comparator.comparingLong(BufferedFace::sequence));
        for (BufferedFace f : found) {
            b.byLabel.computeIfAbsent(f.label(), k -> new ArrayDeque<>()).addLast(f);
            b.size++;
            b.nextSequence = f.sequence() + 1;
        }
        b.evict();
        return b;
    }

    /** Adds a face; returns it with its sequence number. May evict older faces to stay within the bounds. */
    public synchronized BufferedFace add(String label, LabelSource source, int size, byte[] pixels) throws IOException {
        return add(label, source, null, size, pixels);
    }

    /** Adds a face of a track's lineage ({@code lineage} may be null). */
    public synchronized BufferedFace add(String label, LabelSource source, String lineage, int size, byte[] pixels)
            throws IOException {
        return add(label, source, lineage, List.of(), size, pixels);
    }

    /** Adds a face with its lineage (or null) and the labels seen beside it in its frame. */
    public synchronized BufferedFace add(String label, LabelSource source, String lineage, List<String> negatives,
            int size, byte[] pixels) throws IOException {
        BufferedFace f = new BufferedFace(nextSequence, label, source, size, pixels.clone(), lineage, negatives);
        write(f);
        nextSequence++;
        byLabel.computeIfAbsent(label, k -> new ArrayDeque<>()).addLast(f);
        this.size++;
        evict();
        return f;
    }

    /**
     * Removes every face of {@code label} from memory and disk (the person was deleted from the gallery, or an
     * unknown group was erased); returns how many there were.
     */
    public synchronized int remove(String label) throws IOException {
        Deque<BufferedFace> faces = byLabel.remove(label);
        if (faces == null) {
            return 0;
        }
        for (BufferedFace f : faces) {
            Files.deleteIfExists(file(f.sequence()));
        }
        size -= faces.size();
        return faces.size();
    }

    private void evict() throws IOException {
        while (true) {
            Deque<BufferedFace> victim = null;
            for (Deque<BufferedFace> faces : byLabel.values()) {
                boolean over = faces.size() > options.maxPerIdentity() || size > options.maxFaces();
                if (!over) {
                    continue;
                }
                if (victim == null || faces.size() > victim.size()
                        || (faces.size() == victim.size() && faces.peekFirst().sequence() < victim.peekFirst().sequence())) {
                    victim = faces;
                }
            }
            if (victim == null) {
                return;
            }
            BufferedFace gone = victim.removeFirst();
            size--;
            Files.deleteIfExists(file(gone.sequence()));
            if (victim.isEmpty()) {
                byLabel.remove(gone.label());
            }
        }
    }

    /** Faces held. */
    public synchronized int size() {
        return size;
    }

    /** The bounds. */
    public BufferOptions options() {
        return options;
    }

    /** The folder the buffer is mirrored to. */
    public Path directory() {
        return dir;
    }

    /** Number of faces of each identity, by label. */
    public synchronized Map<String, Integer> counts() {
        Map<String, Integer> out = new TreeMap<>();
        byLabel.forEach((k, v) -> out.put(k, v.size()));
        return out;
    }

    /**
     * The lineage of each label that has one: tracks that may be one person. A track's faces all carry the lineage
     * its track opened with; should two differ, the newest face's is taken.
     */
    public synchronized Map<String, String> lineages() {
        Map<String, String> out = new TreeMap<>();
        byLabel.forEach((label, faces) -> {
            for (BufferedFace f : faces) {
                if (f.lineage() != null) {
                    out.put(label, f.lineage());
                }
            }
        });
        return out;
    }

    /**
     * Pairs of labels seen in one frame, each pair as a two-element list in name order: two people for sure, whatever
     * their lineages say.
     */
    public synchronized Set<List<String>> apart() {
        Set<List<String>> out = new TreeSet<>(Comparator.comparing((List<String> p) -> p.get(0))
                .thenComparing(p -> p.get(1)));
        byLabel.forEach((label, faces) -> {
            for (BufferedFace f : faces) {
                for (String n : f.negatives()) {
                    out.add(label.compareTo(n) < 0 ? List.of(label, n) : List.of(n, label));
                }
            }
        });
        return out;
    }

    /** The faces of one identity, oldest first (empty if unknown). */
    public synchronized List<BufferedFace> faces(String label) {
        Deque<BufferedFace> d = byLabel.get(label);
        return d == null ? List.of() : List.copyOf(d);
    }

    /** Every face, oldest first. */
    public synchronized List<BufferedFace> all() {
        List<BufferedFace> out = new ArrayList<>(size);
        byLabel.values().forEach(out::addAll);
        out.sort(Comparator.comparingLong(BufferedFace::sequence));
        return out;
    }

    private Path file(long sequence) {
        return dir.resolve(String.format("%016d%s", sequence, SUFFIX));
    }

    private void write(BufferedFace f) throws IOException {
        Path tmp = Files.createTempFile(dir, ".face-", ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeLong(f.sequence());
            out.writeUTF(f.label());
            out.writeUTF(f.source().name());
            out.writeBoolean(f.lineage() != null);
            if (f.lineage() != null) {
                out.writeUTF(f.lineage());
            }
            out.writeInt(f.negatives().size());
            for (String n : f.negatives()) {
                out.writeUTF(n);
            }
            out.writeInt(f.size());
            out.write(f.pixels());
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file(f.sequence()), StandardCopyOption.ATOMIC_MOVE);
    }

    private static BufferedFace read(Path file) throws IOException {
        try (InputStream is = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
            int format = in.readInt() == MAGIC ? in.readInt() : -1;
            if (format < 1 || format > FORMAT) {
                throw new IOException(file + " is not a replay buffer face of format 1 to " + FORMAT);
            }
            long sequence = in.readLong();
            String label = in.readUTF();
            LabelSource source = LabelSource.valueOf(in.readUTF());
            String lineage = format >= 2 && in.readBoolean() ? in.readUTF() : null;
            List<String> negatives = new ArrayList<>();
            int count = format >= 3 ? in.readInt() : 0;
            if (count < 0 || count > 1024) {
                throw new IOException(file + " claims " + count + " labels beside its face");
            }
            for (int i = 0; i < count; i++) {
                negatives.add(in.readUTF());
            }
            int size = in.readInt();
            if (size <= 0 || size > 1024) {
                throw new IOException(file + " claims a " + size + "-pixel crop");
            }
            byte[] pixels = new byte[3 * size * size];
            in.readFully(pixels);
            return new BufferedFace(sequence, label, source, size, pixels, lineage, negatives);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
