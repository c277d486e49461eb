package io.facestream.app.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A Flink standalone session cluster from the Maven jars of the Flink runtime: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}), each its own JVM reading
 * one generated {@code config.yaml}, with checkpoints on disk under the cluster folder; jobs are submitted with the
 * Flink CLI ({@code CliFrontend run}). This is what Flink's {@code bin/} scripts do, in Java.
 */
final class FlinkSession {

    static final String JOB_MANAGER = "jobmanager";

    /** The JobManager holds no user state: its heap only needs the execution graph and the REST server. */
    static final String JOB_MANAGER_HEAP = "-Xmx384m";

    /**
     * A TaskManager's memory as Flink counts it. Heap and network buffers come out of it (about 380 MiB of heap);
     * no managed memory, since the job keeps its state on the heap. The face engines' native memory (libtorch)
     * is outside Flink's accounting.
     */
    static final MemorySize TASK_MANAGER_PROCESS = MemorySize.parse("1g");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterLayout layout;
    private final ClusterPorts ports;
    private final int slots;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param slots per TaskManager: the job's parallelism, so that one TaskManager can run all of it alone */
    FlinkSession(ClusterLayout layout, ClusterPorts ports, int slots) {
        this.layout = layout;
        this.ports = ports;
        this.slots = slots;
    }

    static String taskManagerName(int i) {
        return "taskmanager-" + i;
    }

    /** The shared {@code config.yaml}. */
    Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", ClusterPorts.HOST);
        c.put("jobmanager.rpc.port", Integer.toString(ports.jobManagerRpc()));
        c.put("jobmanager.bind-host", ClusterPorts.HOST);
        c.put("blob.server.port", Integer.toString(ports.blob()));
        c.put("rest.address", ClusterPorts.HOST);
        c.put("rest.bind-address", ClusterPorts.HOST);
        c.put("rest.port", Integer.toString(ports.rest()));
        c.put("taskmanager.host", ClusterPorts.HOST);
        c.put("taskmanager.bind-host", ClusterPorts.HOST);
        c.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
        c.put("taskmanager.memory.process.size", TASK_MANAGER_PROCESS.toString());
        c.put("taskmanager.memory.managed.size", "0m");
        c.put("parallelism.default", Integer.toString(slots));
        // Spread a job's subtasks over the TaskManagers, so that losing one is a real failover.
        c.put("taskmanager.load-balance.mode", "slots");
        c.put("state.backend.type", "hashmap");
        c.put("execution.checkpointing.dir", layout.checkpoints().toUri().toString());
        c.put("execution.checkpointing.savepoint-dir", layout.savepoints().toUri().toString());
        // A TaskManager that dies is noticed within seconds, not the 50 s default, so the job restarts quickly.
        c.put("heartbeat.interval", "1000");
        c.put("heartbeat.timeout", "8000");
        // Restarts are tried without end, 1 s after a failure and at most 10 s apart: a lost TaskManager or broker
        // comes back, and a job that gave up would need a person to submit it again.
        c.put(RestartStrategyOptions.RESTART_STRATEGY.key(), "exponential-delay");
        c.put(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF.key(), "1 s");
        c.put(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF.key(), "10 s");
        c.put("io.tmp.dirs", layout.tmp().toString());
        c.put("web.tmpdir", layout.tmp().toString());
        return c;
    }

    void writeConfig() throws IOException {
        StringBuilder yaml = new StringBuilder("# Flink configuration of the facestream cluster in " + layout.dir() + "\n");
        config().forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(layout.flinkConf().resolve("config.yaml"), yaml);
    }

    /**
     * What a Flink distribution's {@code env.java.default-opts.all} gives every Flink JVM on Java 17: Flink (the
     * CLI's program translation, Kryo, the network stack) reflects into these JDK packages.
     */
    static final List<String> JAVA_17_OPENS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private Map<String, String> env() {
        return Map.of("FLINK_CONF_DIR", layout.flinkConf().toString());
    }

    private static List<String> logOptions() {
        // The job's Kafka clients log every transaction at INFO (one per checkpoint and sink): warnings are enough.
        return List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn");
    }

    ManagedProcess.Jvm jobManager(ClusterFiles files) {
        List<String> opts = new ArrayList<>(List.of(JOB_MANAGER_HEAP));
        opts.addAll(JAVA_17_OPENS);
        opts.addAll(logOptions());
        return new ManagedProcess.Jvm(opts, files.flinkClasspath(),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                List.of("--configDir", layout.flinkConf().toString()), env());
    }

    /**
     * A TaskManager: its JVM sized by Flink's own memory model from {@link #config()}, and the derived memory
     * settings passed as {@code -D} options (what {@code taskmanager.sh} gets from {@code BashJavaUtils}). The face
     * engines run here, so it gets the launcher's native settings too (see the {@code facestream} script).
     */
    ManagedProcess.Jvm taskManager(ClusterFiles files) {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, TASK_MANAGER_PROCESS);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ZERO);
        // The derived settings below are passed as -D options, which win over config.yaml: without the slots here
        // they said 1 slot, and after one TaskManager died the survivor had too few slots for the job to restart.
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        List<String> opts = new ArrayList<>(Arrays.asList(ProcessMemoryUtils.generateJvmParametersStr(spec).split(" ")));
        opts.addAll(JAVA_17_OPENS);
        opts.addAll(logOptions());
        opts.add("-Djava.awt.headless=true");
        opts.add("-Dai.djl.offline=true");
        // The gallery index walks its graph by random reads across the heap: huge pages spare most of the TLB
        // misses (README, "int8 and huge pages"). Where the kernel has them off, the JVM says so and goes on.
        opts.add("-XX:+UseTransparentHugePages");
        List<String> args = new ArrayList<>(List.of("--configDir", layout.flinkConf().toString()));
        args.addAll(Arrays.asList(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec).trim().split(" ")));
        Map<String, String> env = new LinkedHashMap<>(env());
        env.put("DJL_OFFLINE", "true");
        env.put("MALLOC_MMAP_MAX_", System.getenv().getOrDefault("MALLOC_MMAP_MAX_", "0"));
        env.put("MALLOC_TRIM_THRESHOLD_", System.getenv().getOrDefault("MALLOC_TRIM_THRESHOLD_", "268435456"));
        env.put("OMP_WAIT_POLICY", System.getenv().getOrDefault("OMP_WAIT_POLICY", "PASSIVE"));
        env.put("NVIDIA_TF32_OVERRIDE", System.getenv().getOrDefault("NVIDIA_TF32_OVERRIDE", "0"));
        env.put("TORCH_CPP_LOG_LEVEL", System.getenv().getOrDefault("TORCH_CPP_LOG_LEVEL", "ERROR"));
        return new ManagedProcess.Jvm(opts, files.flinkClasspath(),
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", args, env);
    }

    /** Waits until the REST API answers and {@code taskManagers} have registered their slots. */
    void awaitTaskManagers(int taskManagers, List<ManagedProcess> processes) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            for (ManagedProcess p : processes) {
                if (!p.alive()) {
                    throw new IllegalStateException(p.name() + " exited while starting; the end of its log "
                            + layout.log(p.name()) + ":\n" + p.logTail(15));
                }
            }
            Optional<JsonNode> tms = get("/taskmanagers");
            if (tms.isPresent() && tms.get().path("taskmanagers").size() >= taskManagers) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Flink cluster did not have " + taskManagers + " TaskManager(s)"
                        + " within " + READY_TIMEOUT.toSeconds() + " s; see the logs in " + layout.logs());
            }
            Thread.sleep(250);
        }
    }

    /** The CLI's JVM for {@code flink run --detached} of the job jar with the job's own arguments. */
    ManagedProcess.Jvm submit(ClusterFiles files, int parallelism, List<String> jobArgs) {
        List<String> args = new ArrayList<>(List.of("run", "--detached", "--parallelism", Integer.toString(parallelism),
                files.jobJar().toString()));
        args.addAll(jobArgs);
        List<String> opts = new ArrayList<>(List.of("-Xmx256m"));
        opts.addAll(JAVA_17_OPENS);
        return new ManagedProcess.Jvm(opts, files.flinkClasspath(), "org.apache.flink.client.cli.CliFrontend", args,
                env());
    }

    /** {@code GET /jobs/overview}: each job's name, id and state, empty when the REST API does not answer. */
    Optional<JsonNode> jobs() {
        return get("/jobs/overview");
    }

    /** The state of job {@code id} (RUNNING, RESTARTING, ...), empty when unknown. */
    Optional<String> jobState(String id) {
        return jobs().flatMap(j -> {
            for (JsonNode job : j.path("jobs")) {
                if (id.equals(job.path("jid").asText())) {
                    return Optional.of(job.path("state").asText());
                }
            }
            return Optional.empty();
        });
    }

    /** True when job {@code id} runs and every one of its subtasks is RUNNING (engines may still be loading). */
    boolean allTasksRunning(String id) {
        return get("/jobs/" + id).map(j -> {
            if (!"RUNNING".equals(j.path("state").asText())) {
                return false;
            }
            for (JsonNode v : j.path("vertices")) {
                if (!"RUNNING".equals(v.path("status").asText())) {
                    return false;
                }
            }
            return true;
        }).orElse(false);
    }

    Optional<JsonNode> get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ports.restUrl() + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
