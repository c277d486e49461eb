package io.facestream.app.cluster;

import io.facestream.core.topic.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A Kafka cluster of KRaft nodes, each a broker and a voter of a static controller quorum, each its own JVM running
 * {@code kafka.Kafka server.properties} from the jars on the app's class path, after its log folder has been
 * formatted with one cluster id. Topics come from the catalogue with replication factor 3 (or the node count, when
 * smaller) and {@code min.insync.replicas} one less.
 */
final class KafkaNodes {

    /** Each broker's heap: enough for this load, small enough for many JVMs on one machine. */
    static final String HEAP = "-Xmx256m";

    /** Partitions per topic: frames are keyed by camera, so more cameras spread over more partitions. */
    static final int PARTITIONS = 4;

    /** The brief's replication factor; capped at the node count for smaller clusters. */
    static final int REPLICATION = 3;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final ClusterLayout layout;
    private final ClusterPorts ports;

    KafkaNodes(ClusterLayout layout, ClusterPorts ports) {
        this.layout = layout;
        this.ports = ports;
    }

    static String processName(int node) {
        return "kafka-" + node;
    }

    short replication() {
        return (short) Math.min(REPLICATION, ports.brokers());
    }

    int minInsyncReplicas() {
        return Math.max(1, replication() - 1);
    }

    /** The configuration of node {@code id}, as a file an operator would write. */
    Map<String, String> config(int id) {
        List<String> voters = new ArrayList<>();
        for (int i = 1; i <= ports.brokers(); i++) {
            voters.add(i + "@" + ClusterPorts.HOST + ":" + ports.controller(i));
        }
        String rf = Short.toString(replication());
        String minIsr = Integer.toString(minInsyncReplicas());
        Map<String, String> c = new LinkedHashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", Integer.toString(id));
        c.put("controller.quorum.voters", String.join(",", voters));
        c.put("listeners", "PLAINTEXT://" + ClusterPorts.HOST + ":" + ports.broker(id) + ",CONTROLLER://"
                + ClusterPorts.HOST + ":" + ports.controller(id));
        c.put("advertised.listeners", "PLAINTEXT://" + ClusterPorts.HOST + ":" + ports.broker(id));
        c.put("controller.listener.names", "CONTROLLER");
        c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        c.put("inter.broker.listener.name", "PLAINTEXT");
        c.put("log.dirs", layout.kafkaNode(id).resolve("data").toString());
        c.put("default.replication.factor", rf);
        c.put("min.insync.replicas", minIsr);
        c.put("offsets.topic.replication.factor", rf);
        c.put("transaction.state.log.replication.factor", rf);
        c.put("transaction.state.log.min.isr", minIsr);
        c.put("share.coordinator.state.topic.replication.factor", rf);
        c.put("share.coordinator.state.topic.min.isr", minIsr);
        // Fewer internal partitions than the defaults (50): each is a replicated log to elect on a small machine.
        c.put("offsets.topic.num.partitions", "6");
        c.put("transaction.state.log.num.partitions", "6");
        // Topics come from the catalogue; a typo in a client must not create one with the defaults.
        c.put("auto.create.topics.enable", "false");
        c.put("group.initial.rebalance.delay.ms", "0");
        // A node that dies is fenced, and its partitions get new leaders, after 4 s without a heartbeat rather than
        // the default 9 s: every producer and the job's transactions wait for that.
        c.put("broker.heartbeat.interval.ms", "1000");
        c.put("broker.session.timeout.ms", "4000");
        return c;
    }

    Path serverProperties(int id) {
        return layout.kafkaNode(id).resolve("server.properties");
    }

    /** Writes every node's {@code server.properties} and formats its log folder with one cluster id. */
    void prepare() throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        for (int id = 1; id <= ports.brokers(); id++) {
            Path data = layout.kafkaNode(id).resolve("data");
            Files.createDirectories(data);
            Properties p = new Properties();
            p.putAll(config(id));
            try (Writer w = Files.newBufferedWriter(serverProperties(id))) {
                p.store(w, "Kafka node " + id + " of the facestream cluster in " + layout.dir());
            }
            format(id, clusterId, data);
        }
    }

    /**
     * What {@code kafka-storage format --cluster-id ID --config server.properties} does, in this JVM: the Formatter
     * behind that tool, with the node id, directories and controller listener of the node's file. The static
     * quorum of {@code controller.quorum.voters} needs no initial controllers.
     */
    private static void format(int id, String clusterId, Path data) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(id)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(data.toString()))
                    .setMetadataLogDirectory(data.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("could not format the data folder " + data + " of Kafka node " + id + ": "
                    + e.getMessage(), e);
        }
    }

    /** The node's JVM. */
    ManagedProcess.Jvm jvm(int id, ClusterFiles files) {
        // The app's logging configuration quiets the in-process broker of the demo; a node of a cluster says what it does.
        return new ManagedProcess.Jvm(List.of(HEAP, "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.log.kafka=info", "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info",
                "-Dorg.slf4j.simpleLogger.log.state.change.logger=warn", "-Dorg.slf4j.simpleLogger.showDateTime=true"), files.appClasspath(), "kafka.Kafka",
                List.of(serverProperties(id).toString()), Map.of());
    }

    /** Waits until every node has registered as a broker; fails early when a node's process has died. */
    void awaitBrokers(List<ManagedProcess> nodes) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin(ports.bootstrap())) {
            while (true) {
                for (ManagedProcess n : nodes) {
                    if (!n.alive()) {
                        throw new IllegalStateException(n.name() + " exited while starting; the end of its log "
                                + layout.log(n.name()) + ":\n" + n.logTail(15));
                    }
                }
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == ports.brokers()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // not up yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kafka nodes did not all register within "
                            + READY_TIMEOUT.toSeconds() + " s; their logs are in " + layout.logs());
                }
                Thread.sleep(250);
            }
        }
    }

    /**
     * Creates every topic of the catalogue with the cluster's replication and {@code min.insync.replicas}, and waits
     * until every partition has a leader that answers.
     */
    void createTopics() throws InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        for (NewTopic t : Topics.newTopics(PARTITIONS, replication())) {
            Map<String, String> configs = new HashMap<>(t.configs());
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas()));
            topics.add(new NewTopic(t.name(), PARTITIONS, replication()).configs(configs));
        }
        try (Admin admin = admin(ports.bootstrap())) {
            admin.createTopics(topics).all().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (true) {
                try {
                    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                    admin.describeTopics(topics.stream().map(NewTopic::name).toList()).allTopicNames()
                            .get(30, TimeUnit.SECONDS).forEach((name, d) -> d.partitions().forEach(
                                    p -> partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                    admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not create the topics on " + ports.bootstrap() + ": "
                    + (e.getCause() == null ? e : e.getCause()).getMessage() + "; the nodes' logs are in "
                    + layout.logs(), e);
        }
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

}
