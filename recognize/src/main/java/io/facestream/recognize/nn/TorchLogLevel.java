package io.facestream.recognize.nn;

import ai.djl.engine.Engine;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code TORCH_CPP_LOG_LEVEL} (default {@code ERROR}) to libtorch's C++ log.
 *
 * <p>libtorch reads that variable only when Python starts it, so under the JVM its warnings all reach stderr. On
 * CPUs where NNPACK cannot start (some AMD and virtual machines) that is one "Could not initialize NNPACK" line per
 * convolution call: over 1,700 lines for a 20-frame demo. The level lives in libc10's exported
 * {@code FLAGS_caffe2_log_level}, which every C++ log line is checked against, so setting it once after the
 * engine has loaded is enough. Errors are still printed.
 */
public final class TorchLogLevel {

    private static final Logger LOG = LoggerFactory.getLogger(TorchLogLevel.class);
    /** The environment variable PyTorch itself reads, with its values. */
    public static final String VARIABLE = "TORCH_CPP_LOG_LEVEL";
    private static final String FLAG = "FLAGS_caffe2_log_level";
    private static final List<String> NAMES = List.of("INFO", "WARNING", "ERROR", "FATAL");
    private static final int DEFAULT = 2;

    private static boolean applied;

    private TorchLogLevel() {
    }

    /**
     * Sets libtorch's log level from the environment, once per process; a no-op for other engines, and a debug
     * note where libc10 cannot be found (the warnings then simply stay).
     */
    public static synchronized void apply() {
        if (applied) {
            return;
        }
        applied = true;
        if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
            return;
        }
        int level = parse(System.getenv(VARIABLE));
        try {
            Optional<Pointer> flag = flag();
            if (flag.isEmpty()) {
                LOG.debug("libc10.so is not mapped into this process; libtorch's log level left as it is");
                return;
            }
            flag.get().setInt(0, level);
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.debug("could not set libtorch's log level: {}", e.toString());
        }
    }

    /** libtorch's current log level (0 INFO … 3 FATAL), or -1 where it cannot be read. */
    public static int current() {
        try {
            return flag().map(f -> f.getInt(0)).orElse(-1);
        } catch (IOException | RuntimeException | LinkageError e) {
            return -1;
        }
    }

    /** The level's variable in the libc10 this process has loaded, if it has. */
    private static Optional<Pointer> flag() throws IOException {
        return loadedLibrary(Path.of("/proc/self/maps"), "libc10.so")
                .map(c10 -> NativeLibrary.getInstance(c10.toString()).getGlobalVariableAddress(FLAG));
    }

    /**
     * The level a value of {@code TORCH_CPP_LOG_LEVEL} names, as PyTorch reads it: INFO, WARNING, ERROR, FATAL or
     * 0–3, any case; unset or blank is ERROR here (PyTorch's own default, WARNING, floods a stream's log).
     */
    static int parse(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        String v = value.strip().toUpperCase(Locale.ROOT);
        int byName = NAMES.indexOf(v);
        if (byName >= 0) {
            return byName;
        }
        if (v.length() == 1 && v.charAt(0) >= '0' && v.charAt(0) <= '3') {
            return v.charAt(0) - '0';
        }
        LOG.warn("{}={} is not a level; use INFO, WARNING, ERROR or FATAL (or 0-3). Using ERROR.", VARIABLE, value);
        return DEFAULT;
    }

    /** The file of a shared library mapped into the process whose name is {@code name}, from a maps file. */
    static Optional<Path> loadedLibrary(Path maps, String name) throws IOException {
        if (!Files.isReadable(maps)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(maps)) {
            int slash = line.indexOf('/');
            if (slash < 0) {
                continue;
            }
            Path file = Path.of(line.substring(slash).strip());
            if (file.getFileName().toString().equals(name)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }
}
