package io.facestream.train.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.event.HardExample.LabelSource;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.train.buffer.BufferOptions;
import io.facestream.train.buffer.BufferedFace;
import io.facestream.train.buffer.ReplayBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** P×K batches: P distinct identities with two or more faces, K distinct faces each, seeded; and augmentation. */
class PkSamplerTest {

    @TempDir
    Path dir;

    @Test
    void tracksOfOneLineageShareAGroupInEveryBatch() throws Exception {
        ReplayBuffer b = ReplayBuffer.open(dir, BufferOptions.defaults());
        // camera c: track 1 split into 2, and 2 into 3 (the chain's first track names the lineage); 4 and 5 alone
        String[][] tracks = {{"track:c:1", null}, {"track:c:2", "track:c:1"}, {"track:c:3", "track:c:1"},
            {"track:c:4", null}, {"track:c:5", null}};
        for (String[] t : tracks) {
            for (int f = 0; f < 3; f++) {
                b.add(t[0], LabelSource.TRACK, t[1], 2, new byte[12]);
            }
        }
        PkSampler s = new PkSampler(b, 5, 2, 3);
        for (int round = 0; round < 5; round++) {
            Batch batch = s.next();
            assertEquals(10, batch.size());
            for (int i = 0; i < batch.size(); i++) {
                for (int j = 0; j < batch.size(); j++) {
                    int ti = batch.faces().get(i).label().charAt(8) - '0';
                    int tj = batch.faces().get(j).label().charAt(8) - '0';
                    boolean linked = ti == tj || (ti <= 3 && tj <= 3);
                    assertEquals(linked, batch.groups()[i] == batch.groups()[j], ti + " and " + tj);
                }
            }
            // tracks 1, 2, 3 are all drawn (P = 5 of 5): three linked pairs
            assertEquals(3, linkedIdentityPairs(batch));
        }
    }

    @Test
    void joinedLineagesAreDrawnAsOnePerson() throws Exception {
        ReplayBuffer b = ReplayBuffer.open(dir, BufferOptions.defaults());
        // track 1 split into 2 and 3, one face each besides track 1's two; 4 and 5 alone, two faces each
        b.add("track:c:1", LabelSource.TRACK, null, 2, new byte[12]);
        b.add("track:c:1", LabelSource.TRACK, null, 2, new byte[12]);
        b.add("track:c:2", LabelSource.TRACK, "track:c:1", 2, new byte[12]);
        b.add("track:c:3", LabelSource.TRACK, "track:c:1", 2, new byte[12]);
        for (String t : List.of("track:c:4", "track:c:5")) {
            b.add(t, LabelSource.TRACK, null, 2, new byte[12]);
            b.add(t, LabelSource.TRACK, null, 2, new byte[12]);
        }
        // apart: tracks 2 and 3 have one face each, so no positive, and are not drawn
        assertEquals(List.of("track:c:1", "track:c:4", "track:c:5"), new PkSampler(b, 3, 4, 1).eligible());
        PkSampler joined = new PkSampler(b, 3, 4, 1).joiningLineages(true);
        assertEquals(List.of("track:c:1", "track:c:4", "track:c:5"), joined.eligible());
        Batch batch = joined.next();
        assertEquals(8, batch.size());
        Set<String> lineageOne = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            String label = batch.faces().get(i).label();
            int identity = batch.labels()[i];
            // one person, one label index, one group
            assertEquals(identity, batch.groups()[i]);
            if (label.equals("track:c:1") || label.equals("track:c:2") || label.equals("track:c:3")) {
                lineageOne.add(label + "@" + identity);
            }
        }
        // all four faces of the lineage, under one index
        assertEquals(3, lineageOne.size());
        assertEquals(1, lineageOne.stream().map(x -> x.substring(x.indexOf('@'))).distinct().count());
        assertEquals(0, linkedIdentityPairs(batch));
    }

    @Test
    void twoTracksOfOneLineageSeenInOneFrameAreNotJoined() throws Exception {
        // b and c both opened where a was, but were later seen side by side: two people
        var groups = PkSampler.groups(java.util.Map.of("b", "a", "c", "a"), Set.of(List.of("b", "c")));
        assertEquals(java.util.Map.of("a", "a", "b", "a"), groups);
        // the same from the buffer: faces of track 3 were seen beside track 2
        ReplayBuffer b = ReplayBuffer.open(dir, BufferOptions.defaults());
        for (int f = 0; f < 2; f++) {
            b.add("track:c:1", LabelSource.TRACK, null, 2, new byte[12]);
            b.add("track:c:2", LabelSource.TRACK, "track:c:1", 2, new byte[12]);
            b.add("track:c:3", LabelSource.TRACK, "track:c:1", List.of("track:c:2"), 2, new byte[12]);
        }
        assertEquals(Set.of(List.of("track:c:2", "track:c:3")), b.apart());
        Batch batch = new PkSampler(b, 3, 2, 5).next();
        for (int i = 0; i < batch.size(); i++) {
            for (int j = 0; j < batch.size(); j++) {
                String x = batch.faces().get(i).label();
                String y = batch.faces().get(j).label();
                boolean one = x.equals(y) || !(x.endsWith("3") || y.endsWith("3"));
                assertEquals(one, batch.groups()[i] == batch.groups()[j], x + " and " + y);
            }
        }
        // joined, tracks 1 and 2 are one person; track 3 stays another
        assertEquals(List.of("track:c:1", "track:c:3"), new PkSampler(b, 3, 2, 5).joiningLineages(true).eligible());
    }

    @Test
    void linksJoinIntoGroupsNamedByTheirSmallestLabel() {
        // b → a, c → b (a chain given out of order), e → d; f's lineage g never reached the buffer
        var groups = PkSampler.groups(java.util.Map.of("c", "b", "b", "a", "e", "d", "f", "g"), Set.of());
        assertEquals(java.util.Map.of("a", "a", "b", "a", "c", "a", "d", "d", "e", "d", "f", "f", "g", "f"), groups);
        assertEquals(java.util.Map.of(), PkSampler.groups(java.util.Map.of(), Set.of()));
    }

    @Test
    void drawsPIdentitiesOfKFacesFromTheEligibleOnes() throws Exception {
        ReplayBuffer b = ReplayBuffer.open(dir, BufferOptions.defaults());
        for (int id = 0; id < 6; id++) {
            for (int f = 0; f < 5; f++) {
                b.add("id" + id, id == 5 ? LabelSource.TRACK : LabelSource.CONFIRMED, 2, new byte[12]);
            }
        }
        b.add("single", LabelSource.CONFIRMED, 2, new byte[12]);
        PkSampler s = new PkSampler(b, 4, 3, 7);
        assertEquals(6, s.eligible().size());
        for (int round = 0; round < 20; round++) {
            Batch batch = s.next();
            assertEquals(12, batch.size());
            assertEquals(4, batch.identities());
            Set<String> labels = new HashSet<>();
            Set<Long> faces = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                BufferedFace f = batch.faces().get(i);
                assertEquals(i / 3, batch.labels()[i]);
                assertEquals(f.label().equals("id5"), batch.noisy()[i]);
                labels.add(f.label());
                faces.add(f.sequence());
            }
            assertEquals(4, labels.size());
            assertTrue(!labels.contains("single"));
            assertEquals(12, faces.size());
        }
        Batch a = new PkSampler(b, 4, 3, 99).next();
        Batch c = new PkSampler(b, 4, 3, 99).next();
        assertEquals(a.faces(), c.faces());
        assertThrows(IllegalArgumentException.class, () -> new PkSampler(b, 1, 3, 0));
    }

    @Test
    void theSameFacesArrivedInAnotherOrderGiveTheSameBatches() throws Exception {
        // A stream delivers one track's faces in an order that depends on timing; the batches must not.
        ReplayBuffer first = ReplayBuffer.open(dir.resolve("first"), BufferOptions.defaults());
        ReplayBuffer second = ReplayBuffer.open(dir.resolve("second"), BufferOptions.defaults());
        List<String> order = new ArrayList<>();
        for (int id = 0; id < 5; id++) {
            for (int f = 0; f < 6; f++) {
                order.add(id + ":" + f);
            }
        }
        for (String face : order) {
            add(first, face);
        }
        List<String> shuffled = new ArrayList<>(order);
        java.util.Collections.shuffle(shuffled, new java.util.Random(3));
        for (String face : shuffled) {
            add(second, face);
        }
        PkSampler a = new PkSampler(first, 3, 3, 11);
        PkSampler b = new PkSampler(second, 3, 3, 11);
        for (int round = 0; round < 10; round++) {
            Batch x = a.next();
            Batch y = b.next();
            assertEquals(x.size(), y.size());
            for (int i = 0; i < x.size(); i++) {
                assertEquals(x.faces().get(i).label(), y.faces().get(i).label());
                assertArrayEquals(x.faces().get(i).pixels(), y.faces().get(i).pixels());
            }
        }
    }

    /** Face "id:f" of identity {@code id}, with pixels that name it. */
    private static void add(ReplayBuffer b, String face) throws Exception {
        String[] parts = face.split(":");
        byte[] px = new byte[12];
        px[0] = Byte.parseByte(parts[0]);
        px[1] = Byte.parseByte(parts[1]);
        b.add("id" + parts[0], LabelSource.TRACK, 2, px);
    }

    @Test
    void needsTwoIdentitiesWithPositives() throws Exception {
        ReplayBuffer b = ReplayBuffer.open(dir, BufferOptions.defaults());
        b.add("a", LabelSource.CONFIRMED, 2, new byte[12]);
        b.add("a", LabelSource.CONFIRMED, 2, new byte[12]);
        b.add("b", LabelSource.CONFIRMED, 2, new byte[12]);
        assertThrows(IllegalStateException.class, () -> new PkSampler(b, 2, 2, 0).next());
    }

    @Test
    void augmentationFlipsAndScalesBrightnessWithinItsRange() {
        byte[] px = new byte[3 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (100 + i);
        }
        BufferedFace f = new BufferedFace(0, "a", LabelSource.CONFIRMED, 2, px);
        float[] plain = Augmenter.none().apply(f);
        for (int i = 0; i < px.length; i++) {
            assertEquals(100 + i, plain[i], 0);
        }
        Augmenter aug = new Augmenter(true, 0.2, 3);
        int flipped = 0;
        for (int n = 0; n < 200; n++) {
            float[] v = aug.apply(f);
            // the gain is the same for every value of a crop
            double gain = (v[0] + v[1]) / (100 + 101);
            assertTrue(gain >= 0.8 - 1e-6 && gain <= 1.2 + 1e-6, "gain " + gain);
            if (v[0] > v[1]) {
                flipped++;
                assertArrayEquals(new float[] {(float) (101 * gain), (float) (100 * gain)}, new float[] {v[0], v[1]}, 1e-3f);
            }
        }
        assertTrue(flipped > 70 && flipped < 130, "about half should be mirrored, were " + flipped);
    }

    @Test
    void directionalLightDarkensOneSideAsMuchAsItBrightensTheOther() {
        int size = 8;
        byte[] px = new byte[3 * size * size];
        java.util.Arrays.fill(px, (byte) 100);
        BufferedFace f = new BufferedFace(0, "a", LabelSource.CONFIRMED, size, px);
        Augmenter aug = new Augmenter(false, 0, 0.5, 9);
        double widest = 0;
        for (int n = 0; n < 50; n++) {
            float[] v = aug.apply(f);
            double sum = 0;
            for (int i = 0; i < size * size; i++) {
                sum += v[i];
                assertTrue(v[i] >= 50 - 1e-3 && v[i] <= 150 + 1e-3, "value " + v[i]);
                // the gain is linear about the centre: opposite pixels average the plain value
                assertEquals(200, v[i] + v[size * size - 1 - i], 1e-3);
                // all channels get the same light
                assertEquals(v[i], v[2 * size * size + i], 0);
            }
            assertEquals(100, sum / (size * size), 1e-3);
            widest = Math.max(widest, Math.abs(v[0] - v[size * size - 1]));
        }
        assertTrue(widest > 50, "strong lights should appear among 50 draws, widest spread " + widest);
    }

    @Test
    void tracksAndUnknownGroupsAreNoisyLabelsAndConfirmationsAndGalleryMatchesAreNot() {
        byte[] px = new byte[12];
        assertEquals(true, new BufferedFace(0, "track:door:1", LabelSource.TRACK, 2, px).noisyLabel());
        assertEquals(true, new BufferedFace(0, "unknown-3", LabelSource.CONSENSUS, 2, px).noisyLabel());
        assertEquals(false, new BufferedFace(0, "ada", LabelSource.GALLERY, 2, px).noisyLabel());
        assertEquals(false, new BufferedFace(0, "ada", LabelSource.CONFIRMED, 2, px).noisyLabel());
    }

    /** Faces whose embedding is one coordinate, their first pixel: the farthest are known by hand. */
    @Test
    void hardPositivesAreTheFarthestOfThePoolFromARandomAnchor() throws Exception {
        ReplayBuffer b = ReplayBuffer.open(dir, BufferOptions.defaults());
        for (int id = 0; id < 3; id++) {
            for (int f = 0; f < 12; f++) {
                byte[] px = new byte[12];
                px[0] = (byte) (f * 10);
                b.add("id" + id, LabelSource.CONFIRMED, 2, px);
            }
        }
        List<Integer> calls = new ArrayList<>();
        Function<List<FaceCrop>, float[][]> embed = crops -> {
            calls.add(crops.size());
            float[][] e = new float[crops.size()][];
            for (int i = 0; i < e.length; i++) {
                e[i] = new float[] {crops.get(i).chw()[0]};
            }
            return e;
        };
        PkSampler s = new PkSampler(b, 2, 3, 5);
        for (int round = 0; round < 10; round++) {
            calls.clear();
            Batch batch = s.next(embed, 2);
            assertEquals(6, batch.size());
            assertEquals(List.of(6, 6), calls, "each identity embeds a pool of 2 x K faces");
            for (int i = 0; i < 6; i += 3) {
                float anchor = batch.faces().get(i).toCrop().chw()[0];
                float p1 = batch.faces().get(i + 1).toCrop().chw()[0];
                float p2 = batch.faces().get(i + 2).toCrop().chw()[0];
                assertTrue(Math.abs(p1 - anchor) >= Math.abs(p2 - anchor), "farthest first");
                assertTrue(Math.abs(p2 - anchor) > 0, "the anchor is not its own positive");
            }
        }
        // with a pool of 4 x K = all 12 faces, the two positives of an anchor are the two ends of the range away from it
        Batch wide = new PkSampler(b, 2, 3, 5).next(embed, 4);
        for (int i = 0; i < 6; i += 3) {
            float anchor = wide.faces().get(i).toCrop().chw()[0];
            float far = Math.max(anchor - 0, 110 - anchor);
            assertEquals(far, Math.abs(wide.faces().get(i + 1).toCrop().chw()[0] - anchor), 1e-6);
        }
        assertEquals(new PkSampler(b, 2, 3, 5).next().faces(), new PkSampler(b, 2, 3, 5).next(embed, 1).faces(),
                "a pool of 1 draws as before");
        assertThrows(IllegalArgumentException.class, () -> s.next(embed, 0));
    }

    /** Pairs of the batch's identities that share a group: neither positives nor negatives of each other. */
    private static int linkedIdentityPairs(Batch batch) {
        int[] groupOf = new int[batch.identities()];
        for (int i = 0; i < batch.size(); i++) {
            groupOf[batch.labels()[i]] = batch.groups()[i];
        }
        int pairs = 0;
        for (int a = 0; a < groupOf.length; a++) {
            for (int b = a + 1; b < groupOf.length; b++) {
                if (groupOf[a] == groupOf[b]) {
                    pairs++;
                }
            }
        }
        return pairs;
    }
}
