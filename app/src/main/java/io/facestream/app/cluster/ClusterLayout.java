package io.facestream.app.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a cluster keeps its files: one log and one pid file per process, each Kafka node's data, Flink's
 * configuration and checkpoints, the gallery service's stores, and the state file that {@code status} and
 * {@code down} read.
 */
record ClusterLayout(Path dir) {

    ClusterLayout {
        dir = dir.toAbsolutePath().normalize();
    }

    Path logs() {
        return dir.resolve("logs");
    }

    Path log(String process) {
        return logs().resolve(process + ".log");
    }

    Path pids() {
        return dir.resolve("pids");
    }

    Path pid(String process) {
        return pids().resolve(process + ".pid");
    }

    /** The {@code server.properties} and data of Kafka node {@code id}. */
    Path kafkaNode(int id) {
        return dir.resolve("kafka").resolve("node-" + id);
    }

    /** Flink's configuration folder ({@code FLINK_CONF_DIR}). */
    Path flinkConf() {
        return dir.resolve("flink").resolve("conf");
    }

    Path checkpoints() {
        return dir.resolve("flink").resolve("checkpoints");
    }

    Path savepoints() {
        return dir.resolve("flink").resolve("savepoints");
    }

    Path galleryState() {
        return dir.resolve("gallery-state");
    }

    /** The gallery service's admin API token, made by {@code up}, readable by its owner only. */
    Path galleryAdminToken() {
        return dir.resolve("gallery-admin-token");
    }

    /** Every process's {@code java.io.tmpdir}, so that nothing is left in /tmp. */
    Path tmp() {
        return dir.resolve("tmp");
    }

    /** What {@code up} started, for {@code status} and {@code down}. */
    Path stateFile() {
        return dir.resolve("cluster.properties");
    }

    /** Empties the folder (a previous cluster's data would be replayed) and makes the sub-folders. */
    void recreate() throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(dir)) {
                        Files.delete(p);
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        for (Path p : new Path[] {logs(), pids(), flinkConf(), checkpoints(), savepoints(), tmp()}) {
            Files.createDirectories(p);
        }
    }
}
