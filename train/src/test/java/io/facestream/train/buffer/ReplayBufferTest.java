package io.facestream.train.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.event.HardExample.LabelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay buffer keeps its bounds, evicts the oldest faces of the largest identities, and survives a reopen. */
class ReplayBufferTest {

    private static final int SIZE = 4;

    @TempDir
    Path dir;

    private static byte[] pixels(int seed) {
        byte[] b = new byte[3 * SIZE * SIZE];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    @Test
    void staysWithinItsBoundsAndEvictsTheOldestOfTheLargest() throws IOException {
        ReplayBuffer b = ReplayBuffer.open(dir, new BufferOptions(6, 3));
        for (int i = 0; i < 5; i++) {
            b.add("alice", LabelSource.TRACK, SIZE, pixels(i));
        }
        // per-identity bound: alice keeps her 3 newest
        assertEquals(3, b.size());
        assertEquals(List.of(2L, 3L, 4L), b.faces("alice").stream().map(BufferedFace::sequence).toList());
        b.add("bob", LabelSource.CONFIRMED, SIZE, pixels(10));
        b.add("bob", LabelSource.CONFIRMED, SIZE, pixels(11));
        b.add("carol", LabelSource.GALLERY, SIZE, pixels(20));
        assertEquals(6, b.size());
        // total bound: the largest identity (alice, 3) loses its oldest face (#2)
        b.add("carol", LabelSource.GALLERY, SIZE, pixels(21));
        assertEquals(6, b.size());
        assertEquals(Map.of("alice", 2, "bob", 2, "carol", 2), b.counts());
        assertEquals(List.of(3L, 4L), b.faces("alice").stream().map(BufferedFace::sequence).toList());
        // all equally large: the one whose oldest face is oldest (alice #3) goes first
        b.add("dave", LabelSource.TRACK, SIZE, pixels(30));
        assertEquals(Map.of("alice", 1, "bob", 2, "carol", 2, "dave", 1), b.counts());
        assertEquals(6, files());
    }

    @Test
    void anErasedLabelLeavesMemoryAndDiskAndStaysGoneAfterReopening() throws IOException {
        ReplayBuffer b = ReplayBuffer.open(dir, new BufferOptions(10, 5));
        b.add("ada", LabelSource.GALLERY, SIZE, pixels(1));
        b.add("bob", LabelSource.TRACK, SIZE, pixels(2));
        b.add("ada", LabelSource.GALLERY, SIZE, pixels(3));
        assertEquals(2, b.remove("ada"));
        assertEquals(0, b.remove("ada"));
        assertEquals(Map.of("bob", 1), b.counts());
        assertEquals(1, b.size());
        assertEquals(1, files());
        assertEquals(Map.of("bob", 1), ReplayBuffer.open(dir, new BufferOptions(10, 5)).counts());
    }

    @Test
    void reopeningGivesTheSameContents() throws IOException {
        ReplayBuffer b = ReplayBuffer.open(dir, new BufferOptions(5, 4));
        for (int i = 0; i < 7; i++) {
            b.add(i % 2 == 0 ? "x" : "y", i < 3 ? LabelSource.TRACK : LabelSource.CONFIRMED, SIZE, pixels(i));
        }
        List<BufferedFace> before = b.all();
        assertEquals(5, before.size());
        ReplayBuffer again = ReplayBuffer.open(dir, new BufferOptions(5, 4));
        assertEquals(before, again.all());
        assertArrayEquals(pixels(6), again.faces("x").get(again.faces("x").size() - 1).pixels());
        // numbering goes on after the newest face
        assertEquals(7L, again.add("z", LabelSource.GALLERY, SIZE, pixels(7)).sequence());
        // a smaller bound on reopen evicts at once, on disk too
        ReplayBuffer smaller = ReplayBuffer.open(dir, new BufferOptions(3, 2));
        assertEquals(3, smaller.size());
        assertTrue(smaller.counts().values().stream().allMatch(n -> n <= 2));
        assertEquals(3, files());
    }

    @Test
    void lineagesAndNegativesSurviveReopeningAndFacesOfEarlierFormatsStillRead() throws IOException {
        ReplayBuffer b = ReplayBuffer.open(dir, new BufferOptions(10, 5));
        b.add("track:c:1", LabelSource.TRACK, SIZE, pixels(1));
        b.add("track:c:2", LabelSource.TRACK, "track:c:1", SIZE, pixels(2));
        b.add("track:c:3", LabelSource.TRACK, "track:c:1", SIZE, pixels(3));
        assertEquals(Map.of("track:c:2", "track:c:1", "track:c:3", "track:c:1"), b.lineages());
        b.add("track:c:4", LabelSource.TRACK, null, List.of("track:c:3", "ada"), SIZE, pixels(9));
        assertEquals(Set.of(List.of("track:c:3", "track:c:4"), List.of("ada", "track:c:4")), b.apart());
        // a face of the first format, written as that format wrote it: no lineage field
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(0x46534246);
            out.writeInt(1);
            out.writeLong(4);
            out.writeUTF("ada");
            out.writeUTF("GALLERY");
            out.writeInt(SIZE);
            out.write(pixels(4));
        }
        java.nio.file.Files.write(dir.resolve("0000000000000004.face"), bytes.toByteArray());
        // and one of the second: a lineage, no negatives
        bytes.reset();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(0x46534246);
            out.writeInt(2);
            out.writeLong(5);
            out.writeUTF("track:c:5");
            out.writeUTF("TRACK");
            out.writeBoolean(true);
            out.writeUTF("track:c:1");
            out.writeInt(SIZE);
            out.write(pixels(5));
        }
        java.nio.file.Files.write(dir.resolve("0000000000000005.face"), bytes.toByteArray());
        ReplayBuffer again = ReplayBuffer.open(dir, new BufferOptions(10, 5));
        Map<String, String> lineages = new java.util.TreeMap<>(b.lineages());
        lineages.put("track:c:5", "track:c:1");
        assertEquals(lineages, again.lineages());
        assertEquals(b.apart(), again.apart());
        assertEquals(List.of(), again.faces("track:c:5").get(0).negatives());
        assertArrayEquals(pixels(5), again.faces("track:c:5").get(0).pixels());
        assertEquals(b.faces("track:c:4"), again.faces("track:c:4"));
        assertEquals(b.faces("track:c:2"), again.faces("track:c:2"));
        BufferedFace old = again.faces("ada").get(0);
        assertEquals(null, old.lineage());
        assertArrayEquals(pixels(4), old.pixels());
        assertEquals(6L, again.add("bob", LabelSource.TRACK, SIZE, pixels(5)).sequence());
        assertThrows(IllegalArgumentException.class,
                () -> again.add("track:c:4", LabelSource.TRACK, "track:c:4", SIZE, pixels(6)));
    }

    @Test
    void rejectsBadBoundsAndCrops() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> new BufferOptions(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BufferOptions(10, 11));
        ReplayBuffer b = ReplayBuffer.open(dir, BufferOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> b.add("x", LabelSource.TRACK, SIZE, new byte[5]));
        assertEquals(0, b.size());
    }

    private long files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".face")).count();
        }
    }
}
