package io.facestream.app.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A whole command line and the environment it adds, as started. */
    record Command(List<String> command, Map<String, String> env) {
    }

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
        try {
            // Kept so that 'restart' starts the very same command after a kill.
            JSON.writeValue(layout.pids().resolve(name + ".command.json").toFile(), new Command(cmd, jvm.env()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the command of " + name + " to " + layout.pids(), e);
        }
        return launch(new Command(cmd, jvm.env()));
    }

    /**
     * Starts the process again with the command it was first started with (its log goes on in the same file), as a
     * supervisor would after a crash; refused while it runs.
     */
    Process restart() {
        if (alive()) {
            throw new IllegalStateException(name + " is running (pid " + recordedPid() + "); kill or stop it first");
        }
        Path saved = layout.pids().resolve(name + ".command.json");
        try {
            return launch(JSON.readValue(saved.toFile(), Command.class));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the command of " + name + " from " + saved, e);
        }
    }

    private Process launch(Command command) {
        ProcessBuilder pb = new ProcessBuilder(command.command()).directory(layout.dir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log(name).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(command.env());
        try {
            Process p = pb.start();
            Files.writeString(layout.pid(name), p.pid() + "\n");
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (" + command.command().get(0) + "): "
                    + e.getMessage(), e);
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
