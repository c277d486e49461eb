package io.facestream.app.cluster;

import io.facestream.core.event.MatchEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a fault run delivered, counted per fault: the frames sent while a fault was in play (from it to the next one)
 * are the events expected of it, one per frame, since every frame of the sample video shows one face. An event id is
 * seen when a {@code read_committed} reader got it, duplicated when it got it more than once, lost when never.
 *
 * @param upSeconds from {@code cluster up} to everything running
 * @param residentBytes each process's resident memory once both cameras' events arrived
 * @param rows one per fault, after a first row for the time before any
 * @param total every frame sent
 * @param unexpected event ids of no frame sent (a frame number used twice, or a second face): should be 0
 * @param framesNumberedTwice frames in {@code frames} with the camera and sequence of an earlier one: should be 0
 * @param enrolled the people enrolled at the start
 * @param missing the people of {@code enrolled} the gallery service no longer lists at the end
 */
public record FaultReport(double upSeconds, Map<String, Long> residentBytes, List<Row> rows, Row total,
        long unexpected, long framesNumberedTwice, List<String> enrolled, List<String> missing) {

    /**
     * One line of the table.
     *
     * @param recoverySeconds from the fault to {@code recovered}; null when it did not happen in time
     */
    public record Row(String fault, String recovered, Double recoverySeconds, long expected, long seen,
            long duplicated, long lost) {
    }

    /** A frame found in {@code frames}, with its record's timestamp (when the ingestor sent it). */
    record SentFrame(String camera, long sequence, Instant sentAt) {
        /** The id of the event its one face must give. */
        String eventId() {
            return MatchEvent.eventId(camera, sequence, 0);
        }
    }

    /** Counts the events {@code seen} against the frames {@code sent}, per fault. */
    static FaultReport of(double upSeconds, Map<String, Long> residentBytes, List<FaultRun.Fault> faults, List<SentFrame> sent, List<MatchWatch.Seen> seen, List<String> enrolled,
            List<String> listed) {
        Map<String, Integer> arrivals = new HashMap<>();
        for (MatchWatch.Seen s : seen) {
            arrivals.merge(s.event().eventId(), 1, Integer::sum);
        }
        Set<String> all = new LinkedHashSet<>();
        long twice = 0;
        for (SentFrame f : sent) {
            if (!all.add(f.eventId())) {
                twice++;
            }
        }
        List<Row> rows = new ArrayList<>();
        Instant from = Instant.MIN;
        String name = "none (the stream before any fault)";
        String recovered = "-";
        Duration recovery = null;
        for (int i = 0; i <= faults.size(); i++) {
            Instant to = i < faults.size() ? faults.get(i).at() : Instant.MAX;
            Instant start = from;
            List<String> ids = sent.stream().filter(f -> !f.sentAt().isBefore(start) && f.sentAt().isBefore(to))
                    .map(SentFrame::eventId).distinct().toList();
            rows.add(row(name, recovered, recovery, ids, arrivals));
            if (i < faults.size()) {
                FaultRun.Fault f = faults.get(i);
                from = f.at();
                name = f.name();
                recovered = f.recovered();
                recovery = f.recovery();
            }
        }
        Row total = row("all frames sent", "-", null, List.copyOf(all), arrivals);
        long unexpected = arrivals.keySet().stream().filter(id -> !all.contains(id)).count();
        TreeSet<String> missing = new TreeSet<>(enrolled);
        missing.removeAll(listed);
        return new FaultReport(upSeconds, residentBytes, rows, total, unexpected, twice, enrolled,
                List.copyOf(missing));
    }

    private static Row row(String fault, String recovered, Duration recovery, List<String> ids,
            Map<String, Integer> arrivals) {
        long seen = 0;
        long duplicated = 0;
        for (String id : ids) {
            int n = arrivals.getOrDefault(id, 0);
            seen += n > 0 ? 1 : 0;
            duplicated += n > 1 ? 1 : 0;
        }
        return new Row(fault, recovered, recovery == null ? null : recovery.toMillis() / 1e3, ids.size(), seen,
                duplicated, ids.size() - seen);
    }

    /** True when nothing was lost or duplicated, every fault recovered and every person is still enrolled. */
    public boolean clean() {
        return total.lost() == 0 && total.duplicated() == 0 && unexpected == 0 && framesNumberedTwice == 0
                && missing.isEmpty() && rows.stream().skip(1).allMatch(r -> r.recoverySeconds() != null);
    }

    /** The table, and the checks under it. */
    public void print(PrintStream out) {
        out.printf("%-44s %10s %9s %6s %11s %6s  %s%n", "fault", "recovery", "expected", "seen", "duplicated", "lost",
                "recovered when");
        for (Row r : rows) {
            line(out, r);
        }
        line(out, total);
        out.printf(Locale.ROOT, "events of no frame sent: %d; frames numbered twice in frames: %d%n", unexpected,
                framesNumberedTwice);
        out.printf(Locale.ROOT, "gallery: %d of %d enrolled people still listed%s%n", enrolled.size() - missing.size(),
                enrolled.size(), missing.isEmpty() ? "" : ", missing " + missing);
        out.println(clean() ? "faults: nothing lost, nothing duplicated" : "faults: FAILED (see the table)");
    }

    private static void line(PrintStream out, Row r) {
        String rec = r.recoverySeconds() == null ? (r.recovered().equals("-") ? "-" : "none")
                : String.format(Locale.ROOT, "%.1f s", r.recoverySeconds());
        out.printf(Locale.ROOT, "%-44s %10s %9d %6d %11d %6d  %s%n", r.fault(), rec, r.expected(), r.seen(),
                r.duplicated(), r.lost(), r.recovered());
    }
}
