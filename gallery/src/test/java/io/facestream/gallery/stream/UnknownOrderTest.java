package io.facestream.gallery.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.event.UnknownGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order unknown groups are listed in, and paging through it by position. */
class UnknownOrderTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void theMostRecentlySeenComeFirstAndTiesGoToTheNewerGroup() {
        List<UnknownGroup> groups = new ArrayList<>(List.of(group(1, 30), group(2, 10), group(10, 30), group(3, 20)));
        groups.sort(UnknownOrder.NEWEST_FIRST);
        assertEquals(List.of("unknown-10", "unknown-1", "unknown-3", "unknown-2"),
                groups.stream().map(UnknownGroup::unknownId).toList(), "10 before 1: by number, not as text");
    }

    @Test
    void pagesByPositionCoverEveryGroupOnceEvenWhenOneIsSeenAgainBetweenPages() {
        List<UnknownGroup> groups = new ArrayList<>(List.of(group(1, 30), group(2, 10), group(10, 30), group(3, 20)));
        groups.sort(UnknownOrder.NEWEST_FIRST);
        UnknownOrder.Position end = UnknownOrder.Position.parse(UnknownOrder.Position.of(groups.get(1)).toString());
        assertEquals(new UnknownOrder.Position(T0.plusSeconds(30), "unknown-1"), end);
        // unknown-2 is seen again after the first page: it moves to the front, where the next page does not look.
        List<UnknownGroup> now = List.of(group(1, 30), group(2, 40), group(10, 30), group(3, 20));
        assertEquals(List.of("unknown-3"), now.stream().filter(g -> UnknownOrder.isAfter(g, end))
                .map(UnknownGroup::unknownId).toList());
    }

    @Test
    void aBadPositionSaysWhatAGoodOneLooksLike() {
        for (String bad : List.of("unknown-3", "yesterday,unknown-3", "2026-11-26T10:00:00Z,ada", ",")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> UnknownOrder.Position.parse(bad), bad);
            assertTrue(e.getMessage().contains("such as 2026-11-26T10:00:00Z,unknown-3"), e.getMessage());
        }
    }

    private static UnknownGroup group(long n, int lastSeenSeconds) {
        return new UnknownGroup(UnknownGroup.id(n), T0, T0.plusSeconds(lastSeenSeconds), 1, List.of("cam-1"),
                List.of(new byte[] {(byte) 0xFF, (byte) 0xD8}), "mobilefacenet-192");
    }
}
