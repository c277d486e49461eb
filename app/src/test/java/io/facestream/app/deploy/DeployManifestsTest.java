package io.facestream.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facestream.app.Main;
import io.facestream.core.topic.Topic;
import io.facestream.core.topic.Topics;
import io.facestream.app.deploy.TypedManifests.Manifest;
import io.facestream.recognize.job.RecognizeJobOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.KubernetesDeploymentMode;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The manifests of {@code k8s/} read into the real models of Strimzi, the Flink Kubernetes Operator and Kubernetes
 * (a misspelled field fails), and checked against the code: the topics are the catalogue's, the job and the services
 * run commands that parse, and every client reaches Kafka at the bootstrap service Strimzi makes.
 */
class DeployManifestsTest {

    private static final String JOB_JAR = "local:///opt/flink/usrlib/facestream-job.jar";
    private static List<Manifest> manifests;

    @BeforeAll
    static void read() throws IOException {
        manifests = TypedManifests.read(RepositoryFiles.root().resolve("k8s"), DeployManifestsTest::flinkVersion);
    }

    /**
     * The newest operator API on Maven Central that resolves here (1.10) predates Flink 2: its {@code FlinkVersion}
     * enum stops at v1_20. So the version is checked here against the Flink the job is built with, and left out of
     * the copy that is typed; every other field is typed.
     */
    private static void flinkVersion(String kind, ObjectNode copy) {
        if (!kind.equals("FlinkDeployment")) {
            return;
        }
        String[] v = EnvironmentInformation.getVersion().split("\\.");
        String expected = "v" + v[0] + "_" + v[1];
        ObjectNode spec = (ObjectNode) copy.get("spec");
        assertEquals(expected, spec.path("flinkVersion").asText(), copy.path("metadata").path("name")
                + ": flinkVersion should be the job's Flink, " + EnvironmentInformation.getVersion());
        spec.remove("flinkVersion");
    }

    private static List<Manifest> of(String kind) {
        return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    private static Manifest one(String kind, String name) {
        return manifests.stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)
                && !m.file().getFileName().toString().contains("gpu")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in k8s/"));
    }

    /** Strimzi's bootstrap service for the plain listener: {@code NAME-kafka-bootstrap:PORT}. */
    private static String bootstrap() {
        List<Manifest> clusters = of("Kafka");
        assertEquals(1, clusters.size(), "one Kafka cluster");
        Kafka kafka = clusters.get(0).as(Kafka.class);
        GenericKafkaListener plain = kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> !l.isTls()).findFirst().orElseThrow(() -> new AssertionError("no plain listener"));
        return kafka.getMetadata().getName() + "-kafka-bootstrap:" + plain.getPort();
    }

    @Test
    void everyManifestReadsAsItsModel() {
        Map<String, Long> kinds = manifests.stream().collect(Collectors.groupingBy(Manifest::kind, TreeMap::new,
                Collectors.counting()));
        assertEquals(Map.of("Deployment", 3L, "FlinkDeployment", 2L, "Kafka", 1L, "KafkaNodePool", 1L,
                "KafkaTopic", (long) Topics.ALL.size(), "PersistentVolumeClaim", 1L, "Service", 1L), kinds);
    }

    @Test
    void theKafkaClusterIsKraftWithTheReplicationOfClusterUp() {
        Kafka kafka = one("Kafka", "facestream").as(Kafka.class);
        KafkaNodePool pool = of("KafkaNodePool").get(0).as(KafkaNodePool.class);
        assertEquals(kafka.getMetadata().getName(), pool.getMetadata().getLabels().get("strimzi.io/cluster"));
        assertEquals(List.of(ProcessRoles.CONTROLLER, ProcessRoles.BROKER), pool.getSpec().getRoles());
        assertEquals(3, pool.getSpec().getReplicas());
        Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
        assertEquals("3", config.get("default.replication.factor").toString());
        assertEquals("2", config.get("min.insync.replicas").toString());
        assertEquals("false", config.get("auto.create.topics.enable").toString());
        assertNotNull(kafka.getSpec().getEntityOperator().getTopicOperator(), "the topic operator applies topics.yaml");
        assertEquals("facestream-kafka-bootstrap:9092", bootstrap());
    }

    @Test
    void theKafkaTopicsAreTheCatalogueWithItsConfigs() {
        String cluster = one("Kafka", "facestream").name();
        Map<String, Map<String, String>> declared = new LinkedHashMap<>();
        for (Manifest m : of("KafkaTopic")) {
            KafkaTopic t = m.as(KafkaTopic.class);
            assertEquals(cluster, t.getMetadata().getLabels().get("strimzi.io/cluster"), m.name() + "'s cluster");
            assertEquals(4, t.getSpec().getPartitions(), m.name() + ": 4 partitions, as 'cluster up' creates");
            assertEquals(3, t.getSpec().getReplicas(), m.name() + ": replication 3");
            Map<String, String> configs = new TreeMap<>();
            t.getSpec().getConfig().forEach((k, v) -> configs.put(k, v.toString()));
            assertEquals("2", configs.remove("min.insync.replicas"), m.name() + ": min.insync.replicas 2");
            String name = t.getSpec().getTopicName() != null ? t.getSpec().getTopicName() : m.name();
            declared.put(name, configs);
        }
        Map<String, Map<String, String>> catalogue = new LinkedHashMap<>();
        for (Topic<?, ?> t : Topics.ALL) {
            catalogue.put(t.name(), new TreeMap<>(t.configs()));
        }
        assertEquals(catalogue, declared, "k8s/topics.yaml against Topics.ALL, in its order, with its configs");
    }

    @Test
    void theRecognizeJobRunsInApplicationModeExactlyOnceWithCheckpointsAndHa() {
        List<Manifest> jobs = of("FlinkDeployment");
        for (Manifest m : jobs) {
            FlinkDeployment d = m.as(FlinkDeployment.class);
            String where = m.file().getFileName().toString();
            JobSpec job = d.getSpec().getJob();
            assertNotNull(job, where + ": a job makes it application mode");
            assertEquals(JOB_JAR, job.getJarURI(), where);
            assertEquals("io.facestream.recognize.job.RecognizeJob", job.getEntryClass(), where);
            assertEquals(UpgradeMode.SAVEPOINT, job.getUpgradeMode(), where);
            assertEquals(KubernetesDeploymentMode.NATIVE, d.getSpec().getMode(), where);
            assertTrue(d.getSpec().getImage().startsWith("facestream-flink:"), where + ": the image of flink.Dockerfile");

            RecognizeJobOptions options = RecognizeJobOptions.parse(job.getArgs());
            assertEquals(bootstrap(), options.bootstrap(), where + ": the job's Kafka");
            assertEquals(DeliveryGuarantee.EXACTLY_ONCE, options.delivery(), where);
            assertEquals(Duration.ofSeconds(1), options.checkpointInterval(), where);
            assertTrue(options.grouping() != null, where + ": the job groups unknown tracks, as 'cluster up' does");
            assertEquals(job.getParallelism(), options.parallelism(), where + ": job parallelism and --parallelism");

            Map<String, String> conf = d.getSpec().getFlinkConfiguration();
            assertEquals("kubernetes", conf.get(HighAvailabilityOptions.HA_MODE.key()), where);
            assertTrue(conf.get(HighAvailabilityOptions.HA_STORAGE_PATH.key()).startsWith("file:///flink-data/"), where);
            assertTrue(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()).startsWith("file:///flink-data/"), where);
            assertTrue(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY.key()).startsWith("file:///flink-data/"), where);
            assertEquals("hashmap", conf.get(StateBackendOptions.STATE_BACKEND.key()), where);
            assertEquals(FlinkKeys.RESTARTS, FlinkKeys.restarts(conf), where + ": restarts without end, as in 'cluster up'");
            assertEquals(List.of(), FlinkKeys.unknown(conf.keySet()), where + ": keys Flink does not declare");
            assertEquals("org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                    conf.get("metrics.reporter.prom.factory.class"), where + ": Flink's metrics the Prometheus way");
            assertEquals(Integer.toString(options.parallelism()), conf.get(TaskManagerOptions.NUM_TASK_SLOTS.key()),
                    where + ": one TaskManager can hold the whole job, as in 'cluster up'");
            Container main = d.getSpec().getPodTemplate().getSpec().getContainers().get(0);
            assertEquals("flink-main-container", main.getName(), where + ": the operator merges by this name");
            assertEquals("/flink-data", main.getVolumeMounts().get(0).getMountPath(), where);
            assertEquals("facestream-flink-data", d.getSpec().getPodTemplate().getSpec().getVolumes().get(0)
                    .getPersistentVolumeClaim().getClaimName(), where);
        }
        assertEquals(2, jobs.size(), "recognize.yaml and recognize-gpu.yaml");
    }

    @Test
    void theGpuVariantsTaskManagersRequestAnNvidiaGpu() {
        Manifest gpu = manifests.stream().filter(m -> m.file().getFileName().toString().equals("recognize-gpu.yaml"))
                .findFirst().orElseThrow();
        FlinkDeployment d = gpu.as(FlinkDeployment.class);
        Container tm = d.getSpec().getTaskManager().getPodTemplate().getSpec().getContainers().get(0);
        assertEquals("flink-main-container", tm.getName());
        assertEquals(new Quantity("1"), tm.getResources().getLimits().get("nvidia.com/gpu"));
        FlinkDeployment cpu = one("FlinkDeployment", "recognize").as(FlinkDeployment.class);
        assertEquals(cpu.getSpec().getJob(), d.getSpec().getJob(), "the same job on either");
        assertEquals(cpu.getSpec().getFlinkConfiguration(), d.getSpec().getFlinkConfiguration());
    }

    @Test
    void theServicesRunFacestreamCommandsThatParseAndReachKafka() {
        Map<String, String> commands = new TreeMap<>();
        for (Manifest m : of("Deployment")) {
            Container c = m.as(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
            assertTrue(c.getImage().startsWith("facestream-app:"), m.name() + ": the image of app.Dockerfile");
            List<String> args = c.getArgs();
            CommandLine.ParseResult parsed;
            try {
                parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError(m.name() + " runs 'facestream " + String.join(" ", args)
                        + "', which the command line refuses: " + e.getMessage(), e);
            }
            StringBuilder path = new StringBuilder();
            for (CommandLine.ParseResult r = parsed.subcommand(); r != null; r = r.subcommand()) {
                path.append(path.length() == 0 ? "" : " ").append(r.commandSpec().name());
            }
            commands.put(m.name(), path.toString());
            int i = args.indexOf("--bootstrap");
            if (i >= 0) {
                assertEquals(bootstrap(), args.get(i + 1), m.name() + "'s Kafka");
            }
        }
        assertEquals(Map.of("gallery", "gallery", "ingest-cam-1", "cluster ingest", "trainer", "train"), commands);
        Deployment trainer = one("Deployment", "trainer").as(Deployment.class);
        assertEquals(1, trainer.getSpec().getReplicas(), "one continuous trainer: its buffer is a folder");
        assertEquals("Recreate", trainer.getSpec().getStrategy().getType(), "never two on the one volume");
        Container t = trainer.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> targs = t.getArgs();
        assertTrue(targs.contains("--bootstrap") && targs.contains("--val-pairs"), "the continuous trainer: " + targs);
        int port = Integer.parseInt(targs.get(targs.indexOf("--http-port") + 1));
        assertEquals(port, t.getPorts().get(0).getContainerPort());
        assertEquals(Integer.toString(port), trainer.getSpec().getTemplate().getMetadata().getAnnotations()
                .get("prometheus.io/port"), "Prometheus scrapes where it serves /metrics");
        assertEquals("/health/ready", t.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/health/live", t.getLivenessProbe().getHttpGet().getPath());
        // The job mines the faces the trainer learns from.
        for (Manifest job : of("FlinkDeployment")) {
            assertTrue(RecognizeJobOptions.parse(job.as(FlinkDeployment.class).getSpec().getJob().getArgs())
                    .hardExamples() != null, job.name() + " mines hard examples for the trainer");
        }
    }

    @Test
    void theGalleryIsProbedOnHealthAndServedOnItsPort() {
        Deployment gallery = one("Deployment", "gallery").as(Deployment.class);
        Container c = gallery.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> args = c.getArgs();
        int port = Integer.parseInt(args.get(args.indexOf("--http-port") + 1));
        assertEquals("0.0.0.0", args.get(args.indexOf("--http-host") + 1), "reachable from the Service");
        assertEquals(port, c.getPorts().get(0).getContainerPort());
        String portName = c.getPorts().get(0).getName();
        assertEquals("/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/health/live", c.getLivenessProbe().getHttpGet().getPath());
        for (Probe p : List.of(c.getReadinessProbe(), c.getLivenessProbe())) {
            assertEquals(portName, p.getHttpGet().getPort().getStrVal());
        }
        Service service = one("Service", "gallery").as(Service.class);
        assertEquals(gallery.getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector());
        assertTrue(gallery.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(service.getSpec().getSelector().entrySet()), "the Service selects the gallery's pods");
        assertEquals(portName, service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        var token = c.getEnv().stream().filter(e -> e.getName().equals("FACESTREAM_ADMIN_TOKEN")).findFirst()
                .orElseThrow(() -> new AssertionError("the gallery's admin token in its environment"));
        assertEquals("facestream-gallery-token", token.getValueFrom().getSecretKeyRef().getName(),
                "the admin token comes from a Secret, never from the manifest");

        Container ingest = one("Deployment", "ingest-cam-1").as(Deployment.class).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        List<String> ingestArgs = ingest.getArgs();
        int ingestPort = Integer.parseInt(ingestArgs.get(ingestArgs.indexOf("--http-port") + 1));
        assertEquals(ingestPort, ingest.getPorts().get(0).getContainerPort(), "the ingestor's --http-port is its port");
        assertEquals("/health/ready", ingest.getReadinessProbe().getHttpGet().getPath(), "ready once frames reach Kafka");
        assertEquals("/health/live", ingest.getLivenessProbe().getHttpGet().getPath());
        for (Probe p : List.of(ingest.getReadinessProbe(), ingest.getLivenessProbe())) {
            assertEquals(ingest.getPorts().get(0).getName(), p.getHttpGet().getPort().getStrVal());
        }
    }

    @Test
    void aMisspelledFieldFailsTheRead(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        // The walk over additionalProperties is what catches this one: Deployment's spec keeps unknown fields.
        java.nio.file.Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: bad
                spec:
                  replicas: 1
                  template:
                    spec:
                      containers:
                        - name: x
                          image: y
                          readinesProbe:
                            tcpSocket:
                              port: 1
                """);
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> TypedManifests.read(dir, (k, t) -> { }));
        assertTrue(e.getMessage().contains("readinesProbe"), e.getMessage());
    }

    @Test
    void aMisspelledFieldFailsEvenWhereTheModelIgnoresUnknownFields(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        // The operator's JobSpec is marked to ignore unknown fields; the strict reader overrides that.
        java.nio.file.Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkDeployment
                metadata:
                  name: bad
                spec:
                  job:
                    jarUri: local:///opt/flink/usrlib/facestream-job.jar
                """);
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> TypedManifests.read(dir, (k, t) -> { }));
        assertTrue(e.getMessage().contains("jarUri"), e.getMessage());
    }
}
