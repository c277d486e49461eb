package io.facestream.gallery.stream;

import io.facestream.core.event.UnknownGroup;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;

/**
 * The order the unknown groups are listed in, most recently seen first, and the positions in it that page the list.
 * A page's end is a position, not a group id, so that a group seen again between two pages (which moves it to the
 * front) neither breaks the next page nor repeats in it.
 */
public final class UnknownOrder {

    /** The most recently seen first; of two seen last at the same instant, the newer group (higher number) first. */
    public static final Comparator<UnknownGroup> NEWEST_FIRST = Comparator.comparing(UnknownGroup::lastSeen)
            .thenComparingLong(g -> UnknownGroup.number(g.unknownId())).reversed();

    private UnknownOrder() {
    }

    /** A place in the order: just after the group with this id, last seen at this instant. */
    public record Position(Instant lastSeen, String unknownId) {

        public Position {
            if (lastSeen == null) {
                throw new IllegalArgumentException("a position in the unknown groups needs a last-seen time");
            }
            UnknownGroup.checkId(unknownId);
        }

        /** Where the group is. */
        public static Position of(UnknownGroup g) {
            return new Position(g.lastSeen(), g.unknownId());
        }

        /** Reads {@link #toString()}'s form, {@code 2026-11-26T10:00:00Z,unknown-3}. */
        public static Position parse(String text) {
            int comma = text.lastIndexOf(',');
            try {
                if (comma > 0) {
                    return new Position(Instant.parse(text.substring(0, comma)), text.substring(comma + 1));
                }
            } catch (DateTimeParseException | IllegalArgumentException e) {
                // the message below says what is accepted
            }
            throw new IllegalArgumentException("a position in the unknown groups is the last-seen time and the id of"
                    + " a group, such as 2026-11-26T10:00:00Z,unknown-3 (the next_after of the page before), was \""
                    + (text.length() <= 80 ? text : text.substring(0, 80) + "...") + "\"");
        }

        @Override
        public String toString() {
            return lastSeen + "," + unknownId;
        }
    }

    /** True when the group comes after the position in {@link #NEWEST_FIRST} order. */
    public static boolean isAfter(UnknownGroup g, Position p) {
        int byTime = g.lastSeen().compareTo(p.lastSeen());
        return byTime < 0 || (byTime == 0 && UnknownGroup.number(g.unknownId()) < UnknownGroup.number(p.unknownId()));
    }
}
