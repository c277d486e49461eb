package io.facestream.core.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.topic.Topics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownGroupTest {

    private static UnknownGroup group(String id, int faces) {
        List<byte[]> crops = new ArrayList<>();
        for (int i = 0; i < faces; i++) {
            crops.add(Samples.bytes(90 + i, i));
        }
        return new UnknownGroup(id, Samples.T0, Samples.T0.plusSeconds(40), 3, List.of("door", "cam-1", "door"), crops,
                "mobilefacenet-192");
    }

    @Test
    void roundTripsOnItsTopicWithEveryFaceByte() {
        UnknownGroup g = group("unknown-7", 2);
        byte[] bytes = Topics.UNKNOWNS.valueSerde().serializer().serialize("unknowns", g);
        UnknownGroup back = Topics.UNKNOWNS.valueSerde().deserializer().deserialize("unknowns", bytes);
        assertEquals(g, back);
        assertNotSame(g, back);
        assertArrayEquals(Samples.bytes(91, 1), back.faces().get(1));
        // cameras are kept each once, sorted
        assertEquals(List.of("cam-1", "door"), back.cameras());
    }

    @Test
    void idsAreNumberedFromOneAndReadBack() {
        assertEquals("unknown-1", UnknownGroup.id(1));
        assertEquals(4711, UnknownGroup.number("unknown-4711"));
        assertThrows(IllegalArgumentException.class, () -> UnknownGroup.id(0));
        for (String bad : new String[] {"unknown-0", "unknown-", "unknown-07", "unknown:cam:3", "ada", "unknown-1x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnknownGroup.checkId(bad), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void refusesWhatCannotBeAGroup() {
        assertThrows(IllegalArgumentException.class, () -> group("unknown-2", 0));
        assertThrows(IllegalArgumentException.class, () -> group("unknown-2", UnknownGroup.MAX_FACES + 1));
        assertThrows(IllegalArgumentException.class, () -> new UnknownGroup("unknown-2", Samples.T0, Samples.T0.minusSeconds(1),
                1, List.of("a"), List.of(new byte[] {1}), "m"));
        assertThrows(IllegalArgumentException.class, () -> new UnknownGroup("unknown-2", Samples.T0, Samples.T0, 0,
                List.of("a"), List.of(new byte[] {1}), "m"));
        assertThrows(IllegalArgumentException.class, () -> new UnknownGroup("unknown-2", Samples.T0, Samples.T0, 1,
                Collections.emptyList(), List.of(new byte[] {1}), "m"));
    }
}
