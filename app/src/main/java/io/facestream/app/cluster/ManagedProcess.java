package io.facestream.app.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One process of a cluster: a JVM started in the background with its output in its own log file and its pid in a
 * pid file. Each is marked with {@code -Dfacestream.cluster=DIR/NAME} on its command line, so that {@code status}
 * and {@code down} never mistake another program that got the same pid for it.
 *
 * @param name e.g. {@code kafka-1}, {@code taskmanager-2}, {@code ingest-cam-1}
 * @param port what it listens on, for people ("-" when nothing fixed)
 */
record ManagedProcess(String name, String port, ClusterLayout layout) {

    /** How long {@link #stop} waits after SIGTERM before SIGKILL. */
    static final Duration STOP_GRACE = Duration.ofSeconds(15);

    /** The command line of a JVM to start. */
    record Jvm(List<String> jvmOptions, String classpath, String mainClass, List<String> args, Map<String, String> env) {
    }

    private String marker() {
        return "-Dfacestream.cluster=" + layout.dir() + "/" + name;
    }

    /** Starts the JVM detached from this one (it outlives {@code cluster up}); returns its process. */
    Process start(ClusterFiles files, Jvm jvm) {
        List<String> cmd = new ArrayList<>();
        cmd.add(files.java().toString());
        cmd.add(marker());
        cmd.add("-Djava.io.tmpdir=" + layout.tmp());
        cmd.addAll(jvm.jvmOptions());
        cmd.add("-cp");
        cmd.add(jvm.classpath());
        cmd.add(jvm.mainClass());
        cmd.addAll(jvm.args());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(layout.dir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log(name).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(jvm.env());
        try {
            Process p = pb.start();
            Files.writeString(layout.pid(name), p.pid() + "\n");
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (" + files.java() + "): " + e.getMessage(), e);
        }
    }

    /** The running process, if its pid file names a live process carrying this process's marker. */
    Optional<ProcessHandle> handle() {
        Path pidFile = layout.pid(name);
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(marker())).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The pid written at start, alive or not (-1 when there is no pid file). */
    long recordedPid() {
        try {
            return Long.parseLong(Files.readString(layout.pid(name)).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    boolean alive() {
        return handle().isPresent();
    }

    /** SIGKILL now, as a crash would. */
    boolean kill() {
        return handle().map(h -> {
            h.destroyForcibly();
            h.onExit().join();
            return true;
        }).orElse(false);
    }

    /** The last lines of its log, to show why it died. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(layout.log(name), java.nio.charset.StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + layout.log(name) + ")";
        }
    }
}
