package io.facestream.app.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code facestream bench faults}: the fault run on a cluster of this machine, and its table. */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = {"Bring up a cluster (3 Kafka nodes, a JobManager and 2 TaskManagers, the job, the gallery"
            + " service) with two cameras, a looped video file and an HTTP MJPEG camera; while they stream, kill a"
            + " TaskManager, kill and later restart a Kafka node, kill and restart the gallery service without its"
            + " local state, kill and restart an ingestor, and cut the network camera off. Then count, with a"
            + " read_committed reader, the match events of every frame sent: expected, seen, duplicated, lost,"
            + " per fault, with the time each took to recover. Exit code 1 when anything was lost or duplicated."})
public final class FaultsBenchCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "target/faults",
            description = "Cluster folder, emptied first; logs stay there (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "19290",
            description = "Port range of the cluster, see 'cluster up' (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--fps", paramLabel = "FPS", defaultValue = "3",
            description = "Frames a second of each of the two cameras (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--gallery", paramLabel = "DIR",
            description = "People to enrol, one sub-folder of photos each (default: the sample gallery).")
    Path gallery;

    @Option(names = "--steady", paramLabel = "SECONDS", defaultValue = "3",
            description = "Seconds of undisturbed streaming before the first fault and after each (default: ${DEFAULT-VALUE}).")
    int steady;

    @Option(names = "--broker-down", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds the killed Kafka node stays down (default: ${DEFAULT-VALUE}).")
    int brokerDown;

    @Option(names = "--outage", paramLabel = "SECONDS", defaultValue = "3",
            description = "Seconds the network camera refuses connections once cut (default: ${DEFAULT-VALUE}).")
    int outage;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (!(fps > 0) || fps > 30) {
            throw new IllegalArgumentException("--fps must be above 0 and at most 30, was " + fps);
        }
        if (steady < 0 || brokerDown < 0 || outage < 1) {
            throw new IllegalArgumentException("--steady and --broker-down must be 0 or more and --outage 1 or more,"
                    + " were " + steady + ", " + brokerDown + " and " + outage);
        }
        PrintStream out = System.out;
        FaultReport report = FaultRun.run(new FaultRun.Options(dir, basePort, fps, gallery, Duration.ofSeconds(steady),
                Duration.ofSeconds(brokerDown), Duration.ofSeconds(outage)), out);
        out.println();
        out.printf(Locale.ROOT, "cluster up in %.1f s; resident memory once both cameras streamed:%n", report.upSeconds());
        long sum = 0;
        for (var e : report.residentBytes().entrySet()) {
            out.printf(Locale.ROOT, "  %-16s %6d MiB%n", e.getKey(), e.getValue() >> 20);
            sum += e.getValue();
        }
        out.printf(Locale.ROOT, "  %-16s %6d MiB%n", "all", sum >> 20);
        out.println();
        report.print(out);
        if (json != null) {
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
            out.println("report written to " + json);
        }
        return report.clean() ? 0 : 1;
    }
}
