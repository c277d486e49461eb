package io.facestream.app.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code facestream cluster up|status|down}: a real Kafka cluster and Flink session cluster on this machine. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Run facestream as it runs in production, each part its own process on 127.0.0.1: a Kafka"
            + " cluster (KRaft), a Flink session cluster with the recognize job submitted by the Flink CLI, the gallery"
            + " service and one ingestor per camera. Logs, pid files, data and checkpoints live in the cluster folder."},
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Status.class, ClusterCommand.Down.class,
            ClusterCommand.Kill.class, ClusterCommand.Restart.class, IngestRole.class})
public final class ClusterCommand implements Runnable {

    static final String DEFAULT_DIR = "target/cluster";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The folder of a running cluster, as every command but {@code up} names it. */
    static final class Folder {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "Cluster folder (default: ${DEFAULT-VALUE}).")
        Path dir;

        Cluster open() throws java.io.IOException {
            return Cluster.open(dir);
        }
    }

    /** Starts a cluster. */
    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start the Kafka nodes, the Flink JobManager and TaskManagers, the recognize job, the gallery"
                + " service (enrolling the gallery through the job) and the ingestors, then return; they keep running"
                + " until 'cluster down'.")
    static final class Up implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
                description = "Cluster folder, emptied first (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--cameras", paramLabel = "N", defaultValue = "1",
                description = "Ingestors, camera ids cam-1..cam-N, each playing --source (default: ${DEFAULT-VALUE}).")
        int cameras;

        @Option(names = "--brokers", paramLabel = "N", defaultValue = "3",
                description = "Kafka nodes, each broker and controller (default: ${DEFAULT-VALUE}).")
        int brokers;

        @Option(names = "--taskmanagers", paramLabel = "N", defaultValue = "2",
                description = "Flink TaskManagers, each with --parallelism slots (default: ${DEFAULT-VALUE}).")
        int taskManagers;

        @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2",
                description = "The recognize job's parallelism (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "" + ClusterPorts.DEFAULT_BASE,
                description = "Kafka listens on PORT+1.., Flink's REST API on PORT+91, the gallery API on PORT+90"
                    + " (default: ${DEFAULT-VALUE}).")
        int basePort;

        @Option(names = "--source", paramLabel = "FILE",
                description = "The video every camera plays (default: the sample video of setup).")
        Path source;

        @Option(names = "--once", description = "Play the video once instead of looping it.")
        boolean once;

        @Option(names = "--max-fps", paramLabel = "FPS", defaultValue = "8",
                description = "Frames a second per camera, at most; 0 for the video's own rate (default: ${DEFAULT-VALUE},"
                    + " about what 2 cores recognise).")
        double maxFps;

        @Option(names = "--gallery", paramLabel = "DIR",
                description = "People to enrol, one sub-folder of photos each (default: the sample gallery).")
        Path gallery;

        @Option(names = "--checkpoint-interval", paramLabel = "MS", defaultValue = "1000",
                description = "The job's checkpoint interval (default: ${DEFAULT-VALUE}).")
        long checkpointMillis;

        @Option(names = "--job-jar", paramLabel = "JAR", description = "The job jar (default: job/target/facestream-job.jar).")
        Path jobJar;

        @Option(names = "--flink-lib", paramLabel = "DIR", description = "The Flink runtime jars (default: job/target/flink-lib).")
        Path flinkLib;

        @Override
        public Integer call() throws Exception {
            Cluster.up(new ClusterSpec(dir, brokers, taskManagers, parallelism, cameras, basePort, source, !once, maxFps,
                    gallery, Duration.ofMillis(checkpointMillis), jobJar, flinkLib), System.out);
            return 0;
        }
    }

    /** Prints the state of a cluster. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each process (alive or dead, pid, port), the Flink jobs, each topic's partitions with leader"
                + " and in-sync replicas, and the match events of the last seconds. Exit code 1 when a process died.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Folder folder;

        @Option(names = "--window", paramLabel = "SECONDS", defaultValue = "10",
                description = "Count the match events of this many last seconds (default: ${DEFAULT-VALUE}).")
        int window;

        @Override
        public Integer call() throws Exception {
            return ClusterStatus.print(folder.open(), Duration.ofSeconds(window), System.out) == 0 ? 0 : 1;
        }
    }

    /** Stops a cluster. */
    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop every process of the cluster (SIGTERM, then SIGKILL after 15 s) and say what was stopped;"
                + " logs and data stay in the cluster folder until the next 'up'.")
    static final class Down implements Callable<Integer> {
        @Mixin
        Folder folder;

        @Override
        public Integer call() throws Exception {
            folder.open().down(System.out);
            return 0;
        }
    }

    /** Kills one process as a crash would, for trying out faults by hand. */
    @Command(name = "kill", mixinStandardHelpOptions = true,
            description = "SIGKILL one process of the cluster (e.g. taskmanager-1, kafka-2), as a crash would.")
    static final class Kill implements Callable<Integer> {
        @Mixin
        Folder folder;

        @Parameters(paramLabel = "PROCESS", description = "The process's name, as status lists it.")
        String name;

        @Override
        public Integer call() throws Exception {
            ManagedProcess p = folder.open().process(name);
            long pid = p.recordedPid();
            if (!p.kill()) {
                System.out.println(name + " was not running");
                return 1;
            }
            System.out.println(name + " (pid " + pid + ") killed with SIGKILL");
            return 0;
        }
    }

    /** Starts a killed process again. */
    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Start one process of the cluster again (after 'kill' or a crash) with the command it was"
                + " started with; its log goes on in the same file.")
    static final class Restart implements Callable<Integer> {
        @Mixin
        Folder folder;

        @Parameters(paramLabel = "PROCESS", description = "The process's name, as status lists it.")
        String name;

        @Override
        public Integer call() throws Exception {
            Cluster cluster = folder.open();
            cluster.restart(name);
            System.out.println(name + " (pid " + cluster.process(name).recordedPid() + ") started again");
            return 0;
        }
    }
}
