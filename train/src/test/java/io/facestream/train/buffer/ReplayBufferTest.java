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
