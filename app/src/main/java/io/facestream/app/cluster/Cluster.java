package io.facestream.app.cluster;

import io.facestream.app.GalleryEnrolment;
import io.facestream.app.SampleMedia;
import io.facestream.core.event.EnrolmentResult;
import io.facestream.gallery.auth.ApiTokens;
import io.facestream.recognize.weights.WeightStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts and stops a whole cluster: the Kafka nodes, the Flink JobManager and TaskManagers, the recognize job
 * (submitted with the Flink CLI), the gallery service, the enrolment of a gallery, and one ingestor per camera. What
 * was started is written to the cluster folder, so that {@code status} and {@code down} can find it from another JVM.
 */
public final class Cluster {

    /** The role names in start order; {@code down} stops them in reverse. */
    static final String GALLERY = "gallery";
    static final String SUBMIT = "flink-run";

    private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration JOB_START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration ENROL_TIMEOUT = Duration.ofSeconds(180);
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

    private final ClusterLayout layout;
    private final Properties state;

    private Cluster(ClusterLayout layout, Properties state) {
        this.layout = layout;
        this.state = state;
    }

    /** The cluster whose folder is {@code dir}; an error saying so when none was started there. */
    public static Cluster open(Path dir) throws IOException {
        ClusterLayout layout = new ClusterLayout(dir);
        if (!Files.isRegularFile(layout.stateFile())) {
            throw new IllegalStateException("no cluster was started in " + layout.dir() + " (no "
                    + layout.stateFile().getFileName() + "); start one with './facestream cluster up --dir " + dir + "'");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(layout.stateFile())) {
            p.load(r);
        }
        return new Cluster(layout, p);
    }

    /** Starts everything {@code spec} asks for; on failure stops what had started and keeps the logs. */
    public static Cluster up(ClusterSpec spec, PrintStream log) throws Exception {
        ClusterLayout layout = new ClusterLayout(spec.dir());
        if (Files.isRegularFile(layout.stateFile())) {
            List<String> alive = open(spec.dir()).processes().stream().filter(ManagedProcess::alive)
                    .map(p -> p.name() + " (pid " + p.recordedPid() + ")").toList();
            if (!alive.isEmpty()) {
                throw new IllegalStateException("a cluster is already up in " + layout.dir() + ": " + alive
                        + "; stop it first with './facestream cluster down --dir " + spec.dir() + "'");
            }
        }
        ClusterPorts ports = new ClusterPorts(spec.basePort(), spec.brokers());
        ports.requireFree();
        ClusterFiles files = ClusterFiles.locate(spec.jobJar(), spec.flinkLib());
        Path source = spec.source();
        Path gallery = spec.gallery();
        if ((spec.cameras() > 0 && source == null) || gallery == null) {
            SampleMedia samples = SampleMedia.defaults();
            source = source != null ? source : samples.video();
            gallery = gallery != null ? gallery : samples.gallery();
        }
        if (spec.cameras() > 0 && !Files.isRegularFile(source)) {
            throw new IllegalArgumentException("--source " + source + " is not a video file; give one, or leave it out"
                    + " for the sample video");
        }
        // The TaskManagers load the networks from the weight cache: it must be complete before they start, since
        // they never fetch anything themselves. This fetches once with npm, as 'facestream setup' does.
        WeightStore.defaultStore().fetchAll();

        layout.recreate();
        Properties state = new Properties();
        state.setProperty("base-port", Integer.toString(spec.basePort()));
        state.setProperty("brokers", Integer.toString(spec.brokers()));
        state.setProperty("bootstrap", ports.bootstrap());
        state.setProperty("rest", ports.restUrl());
        state.setProperty("processes", "");
        state.setProperty("job-jar", files.jobJar().toString());
        state.setProperty("flink-lib", files.flinkLib().toString());
        Cluster cluster = new Cluster(layout, state);
        long started = System.nanoTime();
        try {
            cluster.start(spec, ports, files, source, gallery, log);
        } catch (Exception | Error e) {
            log.println("cluster: starting failed, stopping what had started (logs kept in " + layout.logs() + ")");
            cluster.down(log);
            throw e;
        }
        log.printf(Locale.ROOT, "cluster: up in %.1f s; './facestream cluster status --dir %s' shows it, "
                + "'./facestream cluster down --dir %s' stops it%n", (System.nanoTime() - started) / 1e9, spec.dir(),
                spec.dir());
        return cluster;
    }

    private void start(ClusterSpec spec, ClusterPorts ports, ClusterFiles files, Path source, Path gallery,
            PrintStream log) throws Exception {
        KafkaNodes kafka = new KafkaNodes(layout, ports);
        FlinkSession flink = new FlinkSession(layout, ports, spec.parallelism());
        kafka.prepare();
        flink.writeConfig();

        // Every JVM at once: they boot in parallel while the first ones wait for each other.
        List<ManagedProcess> nodes = new ArrayList<>();
        for (int i = 1; i <= spec.brokers(); i++) {
            nodes.add(launch(KafkaNodes.processName(i), ports.broker(i) + " (quorum " + ports.controller(i) + ")",
                    files, kafka.jvm(i, files)));
        }
        List<ManagedProcess> flinkProcesses = new ArrayList<>();
        flinkProcesses.add(launch(FlinkSession.JOB_MANAGER, ports.rest() + " (REST), " + ports.jobManagerRpc()
                + " (RPC)", files, flink.jobManager(files)));
        for (int i = 1; i <= spec.taskManagers(); i++) {
            flinkProcesses.add(launch(FlinkSession.taskManagerName(i), "-", files, flink.taskManager(files)));
        }
        long t0 = System.nanoTime();
        kafka.awaitBrokers(nodes);
        kafka.createTopics();
        log.printf(Locale.ROOT, "kafka: %d nodes at %s, topics with replication %d and min.insync.replicas %d (%.1f s)%n",
                spec.brokers(), ports.bootstrap(), kafka.replication(), kafka.minInsyncReplicas(), secondsSince(t0));
        flink.awaitTaskManagers(spec.taskManagers(), flinkProcesses);
        log.printf(Locale.ROOT, "flink: JobManager at %s, %d TaskManager(s) x %d slots, checkpoints in %s (%.1f s)%n",
                ports.restUrl(), spec.taskManagers(), spec.parallelism(), layout.checkpoints(), secondsSince(t0));

        String jobId = submit(flink, files, spec, ports);
        state.setProperty("job-id", jobId);
        save();
        log.printf(Locale.ROOT, "recognize: job %s submitted with the Flink CLI, parallelism %d, exactly-once (%.1f s)%n",
                jobId, spec.parallelism(), secondsSince(t0));

        Path token = layout.galleryAdminToken();
        Files.writeString(token, ApiTokens.newSecret() + "\n");
        token.toFile().setReadable(false, false);
        token.toFile().setReadable(true, true);
        launch(GALLERY, ports.galleryHttp() + " (HTTP)", files, new ManagedProcess.Jvm(List.of("-Xmx256m"),
                files.appClasspath(), "io.facestream.app.Main", List.of(GALLERY, "--bootstrap", ports.bootstrap(),
                        "--http-port", Integer.toString(ports.galleryHttp()), "--state-dir",
                        layout.galleryState().toString(), "--no-create-topics", "--admin-token-file", token.toString()),
                Map.of()));
        state.setProperty("gallery", "http://" + ClusterPorts.HOST + ":" + ports.galleryHttp());
        log.println("gallery: console at http://" + ClusterPorts.HOST + ":" + ports.galleryHttp() + "/console/, admin API"
                + " token in " + token);
        save();

        List<GalleryEnrolment.Outcome> outcomes = GalleryEnrolment.enrol(ports.bootstrap(), gallery, ENROL_TIMEOUT,
                log);
        long ok = outcomes.stream().filter(o -> o.result() != null && o.result().status() == EnrolmentResult.Status.OK)
                .count();
        log.printf(Locale.ROOT, "gallery: %d of %d photo(s) of %s enrolled through the job, people %s (%.1f s)%n", ok,
                outcomes.size(), gallery, GalleryEnrolment.enrolled(outcomes), secondsSince(t0));
        state.setProperty("enrolled", String.join(",", GalleryEnrolment.enrolled(outcomes)));
        save();

        for (int i = 1; i <= spec.cameras(); i++) {
            addCamera(files, ClusterSpec.camera(i), source.toString(), spec.loop(), spec.maxFps());
        }
        if (spec.cameras() > 0) {
            log.printf(Locale.ROOT, "ingest: %d camera(s) cam-1..cam-%d playing %s%s%n", spec.cameras(), spec.cameras(),
                    source, spec.loop() ? ", looped" : " once");
        }
    }

    /**
     * Starts one more ingestor, process {@code ingest-CAMERA}, streaming {@code source} (a file, or a stream URL) as
     * camera {@code camera}.
     */
    public void addCamera(String camera, String source, boolean loop, double maxFps) throws IOException {
        addCamera(ClusterFiles.locate(Path.of(state.getProperty("job-jar")), Path.of(state.getProperty("flink-lib"))),
                camera, source, loop, maxFps);
    }

    private void addCamera(ClusterFiles files, String camera, String source, boolean loop, double maxFps)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("cluster", "ingest", "--bootstrap", bootstrap(), "--camera", camera,
                "--source", source, "--max-fps", Double.toString(maxFps)));
        if (loop) {
            args.add("--loop");
        }
        launch("ingest-" + camera, "-", files, new ManagedProcess.Jvm(List.of("-Xmx256m"), files.appClasspath(),
                "io.facestream.app.Main", args, Map.of()));
    }

    /**
     * Stops process {@code name} as {@code down} would (SIGTERM, SIGKILL after {@link ManagedProcess#STOP_GRACE});
     * false when it was not running.
     */
    public boolean stop(String name) {
        return process(name).handle().map(h -> {
            h.destroy();
            try {
                h.onExit().get(ManagedProcess.STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                h.destroyForcibly();
                h.onExit().join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h.destroyForcibly();
            }
            return true;
        }).orElse(false);
    }

    /** The resident memory (VmRSS) of each running process, in bytes, in start order. */
    public Map<String, Long> residentBytes() {
        Map<String, Long> rss = new java.util.LinkedHashMap<>();
        for (ManagedProcess p : processes()) {
            p.handle().ifPresent(h -> {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(h.pid()), "status"))) {
                        if (line.startsWith("VmRSS:")) {
                            rss.put(p.name(), 1024 * Long.parseLong(line.replaceAll("[^0-9]", "")));
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // gone in the meantime, or no /proc: left out
                }
            });
        }
        return rss;
    }

    /** Starts process {@code name} again with the command it was started with, e.g. after {@code kill}. */
    public void restart(String name) {
        process(name).restart();
    }

    /** Runs {@code flink run --detached}, waits for the job id it prints and for every subtask to run. */
    private String submit(FlinkSession flink, ClusterFiles files, ClusterSpec spec, ClusterPorts ports)
            throws Exception {
        ManagedProcess cli = new ManagedProcess(SUBMIT, "-", layout);
        Process p = cli.start(files, flink.submit(files, spec.parallelism(), List.of("--bootstrap", ports.bootstrap(),
                "--parallelism", Integer.toString(spec.parallelism()), "--delivery", "exactly-once",
                "--checkpoint-interval", Long.toString(spec.checkpointInterval().toMillis()), "--group-unknowns", "--hard-examples")));
        if (!p.waitFor(SUBMIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the Flink CLI did not submit the job within " + SUBMIT_TIMEOUT.toSeconds()
                    + " s; see " + layout.log(SUBMIT));
        }
        String out = Files.readString(layout.log(SUBMIT), StandardCharsets.ISO_8859_1);
        Matcher m = JOB_ID.matcher(out);
        if (p.exitValue() != 0 || !m.find()) {
            throw new IllegalStateException("the Flink CLI could not submit the job (exit " + p.exitValue() + "); the end"
                    + " of " + layout.log(SUBMIT) + ":\n" + cli.logTail(20));
        }
        String jobId = m.group(1);
        long deadline = System.nanoTime() + JOB_START_TIMEOUT.toNanos();
        while (!flink.allTasksRunning(jobId)) {
            String s = flink.jobState(jobId).orElse("unknown");
            if (s.equals("FAILED") || s.equals("CANCELED") || System.nanoTime() > deadline) {
                throw new IllegalStateException("the recognize job " + jobId + " is " + s + " instead of running; see "
                        + layout.log(FlinkSession.JOB_MANAGER) + " and the TaskManagers' logs");
            }
            Thread.sleep(250);
        }
        return jobId;
    }

    private ManagedProcess launch(String name, String port, ClusterFiles files, ManagedProcess.Jvm jvm)
            throws IOException {
        ManagedProcess p = new ManagedProcess(name, port, layout);
        String list = state.getProperty("processes");
        state.setProperty("processes", list.isEmpty() ? name : list + "," + name);
        state.setProperty("port." + name, port);
        save();
        p.start(files, jvm);
        return p;
    }

    private void save() throws IOException {
        try (Writer w = Files.newBufferedWriter(layout.stateFile())) {
            state.store(w, "what './facestream cluster up' started; read by status and down");
        }
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    /** Every process started, in start order. */
    List<ManagedProcess> processes() {
        List<ManagedProcess> all = new ArrayList<>();
        String list = state.getProperty("processes", "");
        for (String name : list.isEmpty() ? new String[0] : list.split(",")) {
            all.add(new ManagedProcess(name, state.getProperty("port." + name, "-"), layout));
        }
        return all;
    }

    /** The process of that name, e.g. {@code taskmanager-1}. */
    public ManagedProcess process(String name) {
        return processes().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no process " + name + " in the cluster of "
                        + layout.dir() + "; its processes are " + processes().stream().map(ManagedProcess::name).toList()));
    }

    public String bootstrap() {
        return state.getProperty("bootstrap");
    }

    public String restUrl() {
        return state.getProperty("rest");
    }

    public String jobId() {
        return state.getProperty("job-id");
    }

    /** The gallery service's HTTP API, e.g. {@code http://127.0.0.1:19180}. */
    public String galleryUrl() {
        return state.getProperty("gallery");
    }

    /** The gallery service's admin API token that {@code up} made. */
    public String galleryAdminToken() {
        return ApiTokens.readSecret(layout.galleryAdminToken());
    }

    /** The identity ids {@code up} enrolled. */
    public List<String> enrolled() {
        String list = state.getProperty("enrolled", "");
        return list.isEmpty() ? List.of() : List.of(list.split(","));
    }

    public Path dir() {
        return layout.dir();
    }

    ClusterLayout layout() {
        return layout;
    }

    FlinkSession flink() {
        return new FlinkSession(layout, new ClusterPorts(Integer.parseInt(state.getProperty("base-port")),
                Integer.parseInt(state.getProperty("brokers"))), 1);
    }

    /**
     * Stops every process, the last started first (ingestors before the job, Flink before Kafka): SIGTERM, then
     * SIGKILL for any still running after {@link ManagedProcess#STOP_GRACE}. Prints what it stopped.
     *
     * @return how many processes were running
     */
    public int down(PrintStream log) {
        // Role by role, the last started first; the processes of one role (e.g. all Kafka nodes) together, so that
        // none waits for peers that are stopping too.
        Map<String, List<ManagedProcess>> roles = new java.util.LinkedHashMap<>();
        for (ManagedProcess p : processes()) {
            roles.computeIfAbsent(p.name().split("-")[0], r -> new ArrayList<>()).add(p);
        }
        List<String> order = new ArrayList<>(roles.keySet());
        java.util.Collections.reverse(order);
        int stopped = 0;
        for (String role : order) {
            Map<ManagedProcess, ProcessHandle> running = new java.util.LinkedHashMap<>();
            for (ManagedProcess p : roles.get(role)) {
                p.handle().ifPresent(h -> {
                    h.destroy();
                    running.put(p, h);
                });
            }
            long deadline = System.nanoTime() + ManagedProcess.STOP_GRACE.toNanos();
            for (var e : running.entrySet()) {
                ProcessHandle h = e.getValue();
                String how = "stopped";
                try {
                    h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ex) {
                    h.destroyForcibly();
                    h.onExit().join();
                    how = "killed after " + ManagedProcess.STOP_GRACE.toSeconds() + " s without stopping";
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    h.destroyForcibly();
                    how = "killed";
                }
                stopped++;
                log.println("  " + e.getKey().name() + " (pid " + h.pid() + "): " + how);
            }
        }
        log.println("cluster: " + stopped + " process(es) stopped; logs and data kept in " + layout.dir());
        return stopped;
    }
}
