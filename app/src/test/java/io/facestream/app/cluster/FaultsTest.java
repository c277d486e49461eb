package io.facestream.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fault run on a real cluster, each part its own process: while two cameras stream, a TaskManager is killed, a
 * Kafka node killed and restarted, the gallery service killed and restarted without its local state, an ingestor
 * killed and restarted, and a network camera cut off. Every frame sent must give exactly one event for a
 * read_committed reader, every fault must heal, every enrolled person must still be in the gallery, and nothing may
 * be left running afterwards, whatever happened.
 */
@Tag("faults")
class FaultsTest {

    @Test
    void aClusterThatLosesATaskManagerABrokerTheGalleryAnIngestorAndACameraLosesAndDuplicatesNoEvent()
            throws Exception {
        Path dir = Path.of("target", "faults-test").toAbsolutePath();
        PrintStream log = System.out;
        long start = System.nanoTime();
        FaultReport report;
        try {
            report = FaultRun.run(new FaultRun.Options(dir, ClusterTest.freeBase(), 3, null, Duration.ofSeconds(2),
                    Duration.ofSeconds(8), Duration.ofSeconds(3)), log);
        } finally {
            List<String> strays = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().orElse("").contains("-Dfacestream.cluster=" + dir))
                    .map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList();
            ProcessHandle.current().descendants().filter(h -> strays.stream().anyMatch(s -> s.startsWith(h.pid() + " ")))
                    .forEach(ProcessHandle::destroyForcibly);
            assertTrue(strays.isEmpty(), "processes left running: " + strays);
            log.printf("faults test: %.1f s from up to down%n", (System.nanoTime() - start) / 1e9);
        }
        report.print(log);
        assertEquals(7, report.rows().size(), "a row before the faults and one per fault (the Kafka node: kill, restart)");
        for (FaultReport.Row r : report.rows()) {
            assertTrue(r.expected() > 0, "frames were sent during '" + r.fault() + "'");
            assertEquals(0, r.duplicated(), "events delivered twice during '" + r.fault() + "'");
            assertEquals(0, r.lost(), "events lost during '" + r.fault() + "'");
        }
        report.rows().stream().skip(1).forEach(r -> assertNotNull(r.recoverySeconds(), r.fault() + " did not heal"));
        assertEquals(0, report.unexpected(), "events of frames never sent");
        assertEquals(0, report.framesNumberedTwice(), "frame numbers used twice by a restarted ingestor");
        assertTrue(report.missing().isEmpty(), "people gone from the gallery: " + report.missing());
        assertTrue(report.enrolled().size() > 1, "the sample gallery was enrolled: " + report.enrolled());
    }
}
