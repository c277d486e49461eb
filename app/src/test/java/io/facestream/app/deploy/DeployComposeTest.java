package io.facestream.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.facestream.app.Main;
import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.job.RecognizeJobOptions;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.cli.Options;
import org.apache.flink.client.cli.CliFrontendParser;
import org.apache.flink.client.cli.DefaultCLI;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.ParameterTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code docker/compose.yaml} against the code it runs: every command parses against the real command lines (the
 * {@code facestream} CLI, the Flink CLI, the recognize job's options), the topics it creates are the catalogue's,
 * and every client reaches Kafka and the gallery at the addresses those advertise. The compose file's own schema is
 * checked by {@code docker-compose config} in {@code .ci/run} (a client that needs no Docker engine), so that
 * {@code ./mvnw verify} needs no docker-compose on a fresh machine.
 */
class DeployComposeTest {

    private static final String APP_IMAGE = "facestream-app";
    private static final String FLINK_IMAGE = "facestream-flink";
    private static final String JOB_JAR = "/opt/flink/usrlib/facestream-job.jar";
    private static final String WEIGHTS = "/opt/facestream/weights";

    private static Path root;
    private static ComposeFile compose;

    @BeforeAll
    static void read() throws IOException {
        root = RepositoryFiles.root();
        compose = ComposeFile.read(root.resolve("docker/compose.yaml"));
    }

    @Test
    void everyAppServiceRunsAFacestreamCommandThatParses() {
        Set<String> commands = new LinkedHashSet<>();
        for (var e : compose.services().entrySet()) {
            Map<String, Object> s = e.getValue();
            if (!APP_IMAGE.equals(s.get("image")) || s.containsKey("entrypoint")) {
                continue;
            }
            List<String> args = ComposeFile.command(s);
            CommandLine.ParseResult parsed;
            try {
                parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException ex) {
                throw new AssertionError("service " + e.getKey() + " runs 'facestream " + String.join(" ", args)
                        + "', which the command line refuses: " + ex.getMessage(), ex);
            }
            List<String> path = new ArrayList<>();
            for (CommandLine.ParseResult r = parsed.subcommand(); r != null; r = r.subcommand()) {
                path.add(r.commandSpec().name());
            }
            assertTrue(!path.isEmpty(), "service " + e.getKey() + " runs no facestream subcommand: " + args);
            commands.add(String.join(" ", path));
        }
        assertEquals(Set.of("gallery", "cluster ingest", "train"), commands,
                "the app image's services should be the gallery, the ingestors and the trainer");
    }

    @Test
    void flinkServicesRunTheOfficialEntrypointAndSubmitTheJobAsClusterUpDoes() throws Exception {
        assertEquals(List.of("jobmanager"), ComposeFile.command(compose.service("jobmanager")));
        assertEquals(List.of("taskmanager"), ComposeFile.command(compose.service("taskmanager")));
        assertEquals(List.of("taskmanager"), ComposeFile.command(compose.service("taskmanager-gpu")));
        for (String name : List.of("jobmanager", "taskmanager", "taskmanager-gpu", "flink-run")) {
            assertEquals(FLINK_IMAGE, compose.service(name).get("image"), name + "'s image");
        }

        List<String> run = ComposeFile.command(compose.service("flink-run"));
        assertEquals(List.of("flink", "run"), run.subList(0, 2), "flink-run should run 'flink run'");
        Options options = CliFrontendParser.getRunCommandOptions();
        DefaultCLI cli = new DefaultCLI();
        cli.addGeneralOptions(options);
        cli.addRunOptions(options);
        org.apache.commons.cli.CommandLine flink = CliFrontendParser.parse(options,
                run.subList(2, run.size()).toArray(String[]::new), true);
        assertTrue(flink.hasOption("detached"), "the job is submitted detached, as 'cluster up' does: " + run);
        assertEquals("jobmanager:8081", flink.getOptionValue("jobmanager"));
        List<String> rest = Arrays.asList(flink.getArgs());
        assertEquals(JOB_JAR, rest.get(0), "the job jar 'flink run' is given");

        // The jar is the one the image holds, and the one the build makes, with the job as its main class.
        String dockerfile = Files.readString(root.resolve("docker/flink.Dockerfile"));
        assertTrue(dockerfile.contains("COPY --chown=flink:flink job/target/facestream-job.jar " + JOB_JAR),
                "flink.Dockerfile should copy job/target/facestream-job.jar to " + JOB_JAR);
        Path jar = root.resolve("job/target/facestream-job.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing; build it with ./mvnw -q -DskipTests package");
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("io.facestream.recognize.job.RecognizeJob",
                    j.getManifest().getMainAttributes().getValue("Main-Class"));
        }

        // The job's arguments: the ones Cluster.submit passes, each read by RecognizeJobOptions.
        String[] jobArgs = rest.subList(1, rest.size()).toArray(String[]::new);
        assertEquals(List.of("bootstrap", "parallelism", "delivery", "checkpoint-interval", "group-unknowns",
                "hard-examples"),
                new ArrayList<>(ParameterTool.fromArgs(jobArgs).toMap().keySet()).stream().sorted(
                        (a, b) -> Integer.compare(indexOf(jobArgs, a), indexOf(jobArgs, b))).toList(),
                "the job arguments of 'cluster up'");
        RecognizeJobOptions job = RecognizeJobOptions.parse(jobArgs);
        assertEquals(DeliveryGuarantee.EXACTLY_ONCE, job.delivery());
        assertEquals(Duration.ofSeconds(1), job.checkpointInterval());
        assertNotNull(job.grouping(), "the deployed job groups unknown tracks, as 'cluster up' does");
        assertNotNull(job.hardExamples(), "and mines hard examples for the trainer");
        assertEquals(Integer.parseInt(flink.getOptionValue("parallelism")), job.parallelism(),
                "the job's --parallelism and the CLI's should agree");

        // One TaskManager holds the whole job, as in 'cluster up', so that losing the other is a failover.
        Map<String, String> conf = flinkProperties(compose.service("taskmanager"));
        assertEquals(Integer.toString(job.parallelism()), conf.get("taskmanager.numberOfTaskSlots"));
        assertEquals(conf, flinkProperties(compose.service("jobmanager")), "one Flink configuration for all");
        assertEquals("slots", conf.get(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE.key()));
        assertEquals(List.of(), FlinkKeys.unknown(conf.keySet()), "keys Flink does not declare");
        assertEquals("org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                conf.get("metrics.reporter.prom.factory.class"), "Flink's metrics the Prometheus way");
        assertEquals("file:///opt/flink/checkpoints", conf.get("execution.checkpointing.dir"));
        assertEquals(FlinkKeys.RESTARTS, FlinkKeys.restarts(conf), "restarts without end, as in 'cluster up'");
        for (String name : List.of("jobmanager", "taskmanager", "taskmanager-gpu")) {
            assertTrue(volumes(compose.service(name)).contains("flink-checkpoints:/opt/flink/checkpoints"),
                    name + " should mount the shared checkpoint volume");
        }
    }

    @Test
    void theGpuTaskManagerReservesAnNvidiaGpuAndIsOffByDefault() {
        Map<String, Object> gpu = compose.service("taskmanager-gpu");
        assertEquals(List.of("gpu"), gpu.get("profiles"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> devices = (List<Map<String, Object>>) ComposeFile.map(ComposeFile.map(
                ComposeFile.map(gpu, "deploy"), "resources"), "reservations").get("devices");
        assertEquals(1, devices.size());
        assertEquals("nvidia", devices.get(0).get("driver"));
        assertEquals(List.of("gpu"), devices.get(0).get("capabilities"));
        assertEquals(List.of("train"), compose.service("trainer").get("profiles"), "the trainer is off by default");
    }

    @Test
    void theTopicsServiceCreatesExactlyTheCatalogueWithItsConfigs() {
        String script = String.join("\n", ComposeFile.command(compose.service("topics")));
        assertTrue(script.contains("--partitions 4"), "4 partitions a topic, as 'cluster up' creates them");
        Pattern line = Pattern.compile("(?m)^\\s*create ([^\\s]+)(.*)$");
        Pattern config = Pattern.compile("--config ([^=\\s]+)=([^\\s]+)");
        Map<String, Map<String, String>> created = new LinkedHashMap<>();
        Matcher m = line.matcher(script);
        while (m.find()) {
            Map<String, String> configs = new TreeMap<>();
            Matcher c = config.matcher(m.group(2));
            while (c.find()) {
                configs.put(c.group(1), c.group(2));
            }
            created.put(m.group(1), configs);
        }
        Map<String, Map<String, String>> catalogue = new LinkedHashMap<>();
        for (Topic<?, ?> t : Topics.ALL) {
            catalogue.put(t.name(), new TreeMap<>(t.configs()));
        }
        assertEquals(catalogue, created, "the topics compose creates, with their configs (min.insync.replicas is"
                + " in the script's create function)");
        assertTrue(script.contains("--config min.insync.replicas=1"), "min.insync.replicas for one broker");
    }

    @Test
    void everyClientReachesKafkaAtTheListenerTheBrokerAdvertises() {
        Map<String, String> env = ComposeFile.environment(compose.service("kafka"));
        Map<String, String> advertised = listeners(env.get("KAFKA_ADVERTISED_LISTENERS"));
        Map<String, String> bound = listeners(env.get("KAFKA_LISTENERS"));
        String bootstrap = advertised.get(env.get("KAFKA_INTER_BROKER_LISTENER_NAME"));
        assertEquals("kafka:9092", bootstrap, "the broker's advertised client listener");
        assertEquals(port(bootstrap), port(bound.get("PLAINTEXT")), "the advertised listener's port is bound");
        String controller = env.get("KAFKA_CONTROLLER_LISTENER_NAMES");
        assertEquals(env.get("KAFKA_NODE_ID") + "@kafka:" + port(bound.get(controller)),
                env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"), "the quorum voter is this node at its controller listener");
        assertEquals("false", env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"), "topics come from the catalogue only");

        int clients = 0;
        for (var e : compose.services().entrySet()) {
            List<String> words = new ArrayList<>(ComposeFile.command(e.getValue()));
            Object health = e.getValue().get("healthcheck");
            if (health instanceof Map<?, ?> h && h.get("test") instanceof List<?> test) {
                test.forEach(t -> words.add(t.toString()));
            }
            List<String> split = new ArrayList<>();
            words.forEach(w -> split.addAll(Arrays.asList(w.split("\\s+"))));
            for (int i = 0; i + 1 < split.size(); i++) {
                if (split.get(i).equals("--bootstrap") || split.get(i).equals("--bootstrap-server")) {
                    assertEquals(bootstrap, split.get(i + 1), "service " + e.getKey() + "'s Kafka address");
                    clients++;
                }
            }
        }
        // gallery, ingest-cam-1, the job (flink-run), the topics script, the broker's own health check
        assertTrue(clients >= 5, "Kafka addresses found: " + clients);
    }

    @Test
    void theGalleryIsReachedAtThePortItListensOn() {
        Map<String, Object> gallery = compose.service("gallery");
        List<String> args = ComposeFile.command(gallery);
        String port = args.get(args.indexOf("--http-port") + 1);
        assertEquals("0.0.0.0", args.get(args.indexOf("--http-host") + 1), "reachable from other containers");
        assertEquals(List.of(port + ":" + port), gallery.get("ports"));
        @SuppressWarnings("unchecked")
        List<String> health = (List<String>) ComposeFile.map(gallery, "healthcheck").get("test");
        assertEquals("http://127.0.0.1:" + port + "/health", health.get(health.size() - 1));
        String enrol = String.join("\n", ComposeFile.command(compose.service("enrol")));
        assertTrue(enrol.contains("http://gallery:" + port + "/identities/"), "enrol posts to the gallery: " + enrol);
        assertTrue(enrol.contains("-H \"Authorization: Bearer $$FACESTREAM_ADMIN_TOKEN\""),
                "enrol sends the admin token: " + enrol);
        for (String service : List.of("gallery", "enrol")) {
            assertTrue(ComposeFile.environment(compose.service(service)).get("FACESTREAM_ADMIN_TOKEN")
                    .startsWith("${FACESTREAM_ADMIN_TOKEN:?"), service + " takes the admin token from the environment");
        }
    }

    /**
     * The monitoring profile: Prometheus scrapes each deployable at the port it serves metrics on, and Grafana is
     * given the dashboard over that Prometheus.
     */
    @Test
    void theMonitoringProfileScrapesEveryDeployableWhereItServesItsMetrics() throws IOException {
        for (String name : List.of("prometheus", "grafana")) {
            assertEquals(List.of("monitoring"), compose.service(name).get("profiles"), name + " is off by default");
            for (String v : volumes(compose.service(name))) {
                Path file = root.resolve("docker").resolve(v.substring(0, v.indexOf(':'))).normalize();
                assertTrue(Files.exists(file), name + " mounts " + file + ", which is missing");
            }
        }
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        Map<String, String> targets = new LinkedHashMap<>();
        for (var job : yaml.readTree(root.resolve("docker/prometheus/prometheus.yml").toFile()).get("scrape_configs")) {
            for (var t : job.get("static_configs").get(0).get("targets")) {
                String[] hostPort = t.asText().split(":");
                targets.put(hostPort[0], hostPort[1]);
            }
        }
        List<String> gallery = ComposeFile.command(compose.service("gallery"));
        assertEquals(gallery.get(gallery.indexOf("--http-port") + 1), targets.get("gallery"));
        List<String> ingest = ComposeFile.command(compose.service("ingest-cam-1"));
        assertEquals(ingest.get(ingest.indexOf("--http-port") + 1), targets.get("ingest-cam-1"));
        List<String> trainer = ComposeFile.command(compose.service("trainer"));
        assertEquals(trainer.get(trainer.indexOf("--http-port") + 1), targets.get("trainer"));
        String flinkPort = flinkProperties(compose.service("jobmanager")).get("metrics.reporter.prom.port");
        assertEquals(flinkPort, targets.get("jobmanager"));
        assertEquals(flinkPort, targets.get("taskmanager"));

        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var dashboard = json.readTree(root.resolve("docker/grafana/facestream.json").toFile());
        String uid = yaml.readTree(root.resolve("docker/grafana/provisioning/datasources/prometheus.yaml").toFile())
                .get("datasources").get(0).get("uid").asText();
        assertTrue(dashboard.get("panels").size() >= 8, "a panel per figure");
        for (var panel : dashboard.get("panels")) {
            assertEquals(uid, panel.get("datasource").get("uid").asText(), panel.get("title") + " reads the provisioned Prometheus");
            assertTrue(panel.get("targets").size() > 0 && !panel.get("targets").get(0).get("expr").asText().isBlank(),
                    panel.get("title") + " queries something");
        }
    }

    @Test
    void theImagesHoldTheWeightsWhereTheServicesLookForThem() throws IOException {
        for (String dockerfile : List.of("docker/app.Dockerfile", "docker/flink.Dockerfile")) {
            String text = Files.readString(root.resolve(dockerfile));
            assertTrue(text.contains("setup --weights-dir " + WEIGHTS), dockerfile + " fills the weight cache");
            assertTrue(text.contains("FACESTREAM_WEIGHTS=" + WEIGHTS), dockerfile + " points the engines at it");
            for (String env : List.of("DJL_OFFLINE=true", "MALLOC_MMAP_MAX_=0", "MALLOC_TRIM_THRESHOLD_=268435456",
                    "OMP_WAIT_POLICY=PASSIVE", "NVIDIA_TF32_OVERRIDE=0")) {
                assertTrue(text.contains(env), dockerfile + " sets " + env + ", as the facestream launcher does");
            }
        }
        WeightStore store = new WeightStore(Path.of(WEIGHTS));
        List<String> ingest = ComposeFile.command(compose.service("ingest-cam-1"));
        assertEquals(store.location(WeightFile.DEMO_VIDEO).toString(), ingest.get(ingest.indexOf("--source") + 1),
                "the ingestor plays the sample video that setup stored in the image");
        assertTrue(ingest.contains("--loop"), "the sample video is looped");
        String enrol = String.join("\n", ComposeFile.command(compose.service("enrol")));
        assertTrue(enrol.contains(store.root().resolve("sample-gallery") + "/*/"), "enrol reads the sample gallery");
        assertNotNull(compose.service("gallery").get("build"), "the app image is built by the gallery service");
        assertNotNull(compose.service("jobmanager").get("build"), "the Flink image is built by the jobmanager");
    }

    private static Map<String, String> flinkProperties(Map<String, Object> service) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (String l : ComposeFile.environment(service).get("FLINK_PROPERTIES").split("\n")) {
            if (!l.isBlank()) {
                String[] kv = l.split(":", 2);
                assertEquals(2, kv.length, "FLINK_PROPERTIES lines are 'key: value', was: " + l);
                conf.put(kv[0].trim(), kv[1].trim());
            }
        }
        return conf;
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumes(Map<String, Object> service) {
        return (List<String>) service.getOrDefault("volumes", List.of());
    }

    /** {@code NAME://host:port,...} as name → host:port. */
    private static Map<String, String> listeners(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : text.split(",")) {
            String[] kv = l.split("://", 2);
            out.put(kv[0], kv[1]);
        }
        return out;
    }

    private static String port(String hostPort) {
        return hostPort.substring(hostPort.lastIndexOf(':') + 1);
    }

    private static int indexOf(String[] args, String key) {
        return Arrays.asList(args).indexOf("--" + key);
    }
}
