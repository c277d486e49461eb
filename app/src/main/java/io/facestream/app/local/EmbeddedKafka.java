package io.facestream.app.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A single-node Kafka broker (KRaft, broker and controller in one) running inside this JVM. */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int NODE_ID = 1;
  private static final String HOST = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path dataDir;
  private final int brokerPort;
  private final int controllerPort;
  private KafkaRaftServer server;

  private EmbeddedKafka(Path dataDir, int brokerPort, int controllerPort) {
    this.dataDir = dataDir;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
  }

  /** Starts a broker on free ports, keeping its data under {@code dataDir} (formatted on first use). */
  public static EmbeddedKafka start(Path dataDir) {
    return start(dataDir, 0, 0);
  }

  /** Starts a broker on the given ports (0 picks a free one); an already formatted dir keeps its data. */
  public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort) {
    int broker = brokerPort == 0 ? freePort() : brokerPort;
    int controller = controllerPort == 0 ? freePort() : controllerPort;
    if (broker == controller) {
      throw new IllegalArgumentException("The broker and controller ports must differ, both were " + broker);
    }
    EmbeddedKafka kafka = new EmbeddedKafka(dataDir.toAbsolutePath(), broker, controller);
    kafka.startServer();
    return kafka;
  }

  /** The {@code bootstrap.servers} value for clients of this broker. */
  public String bootstrapServers() {
    return HOST + ":" + brokerPort;
  }

  /** Where the broker keeps its logs and metadata. */
  public Path dataDir() {
    return dataDir;
  }

  /** Creates the topics and waits until the broker leads every partition; existing topics are an error. */
  public void createTopics(Collection<NewTopic> topics) {
    try (Admin admin = admin()) {
      admin.createTopics(topics).all().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      // The controller acknowledges before the broker has taken the partitions' leadership: an idempotent
      // producer that writes in that gap gets NOT_LEADER, then OUT_OF_ORDER_SEQUENCE on its next batches
      // until they time out. Listing offsets succeeds only once the broker serves every partition as leader.
      // Describing the new topics can fail the same way (UNKNOWN_TOPIC_OR_PARTITION) until the broker has them.
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (true) {
        try {
          Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
          admin.describeTopics(topics.stream().map(NewTopic::name).toList()).allTopicNames()
              .get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
              .forEach((name, d) -> d.partitions().forEach(
                  p -> partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
          admin.listOffsets(partitions).all().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
          return;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(20);
        }
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not create topics " + topics + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics " + topics, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("The broker at " + bootstrapServers() + " did not create " + topics + " within "
          + READY_TIMEOUT.toSeconds() + " s", e);
    }
  }

  /** Stops the broker cleanly and starts it again on the same ports and data, as a crash-free restart. */
  public void restart() {
    close();
    startServer();
  }

  /** Stops the broker cleanly; its data stay in {@link #dataDir()}. */
  @Override
  public void close() {
    if (server == null) {
      return;
    }
    long started = System.nanoTime();
    server.shutdown();
    server.awaitShutdown();
    server = null;
    LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** Stops the broker and deletes its data directory. */
  public void closeAndDelete() {
    close();
    try (Stream<Path> paths = Files.walk(dataDir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete the Kafka data in " + dataDir, e);
    }
  }

  private void startServer() {
    long started = System.nanoTime();
    Path logDir = dataDir.resolve("kafka-logs");
    Properties props = config(logDir);
    KafkaConfig config = new KafkaConfig(props);
    requireFree(brokerPort, "broker");
    requireFree(controllerPort, "controller");
    format(logDir);
    server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
      awaitReady();
    } catch (RuntimeException e) {
      try {
        close();
      } catch (RuntimeException shutdownFailure) {
        e.addSuppressed(shutdownFailure);
      }
      if (causedBy(e, BindException.class)) {
        throw new IllegalStateException("Kafka could not listen on " + HOST + ":" + brokerPort + " or :" + controllerPort
            + " because a port is in use; stop what holds it (ss -ltnp) or start with port 0 to pick a free one", e);
      }
      throw new IllegalStateException("The embedded Kafka broker in " + dataDir + " failed to start: " + e.getMessage(), e);
    }
    LOG.info("Kafka broker ready at {} (data in {}) in {} ms", bootstrapServers(), dataDir,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private Properties config(Path logDir) {
    Properties p = new Properties();
    p.putAll(Map.of(
        "process.roles", "broker,controller",
        "node.id", String.valueOf(NODE_ID),
        "controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort,
        "listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort,
        "advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort,
        "controller.listener.names", "CONTROLLER",
        "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name", "PLAINTEXT",
        "log.dirs", logDir.toString()));
    // One node: internal topics can only have one replica; one partition each keeps startup quick.
    p.putAll(Map.of(
        "offsets.topic.replication.factor", "1",
        "offsets.topic.num.partitions", "1",
        "transaction.state.log.replication.factor", "1",
        "transaction.state.log.min.isr", "1",
        "transaction.state.log.num.partitions", "1",
        "share.coordinator.state.topic.replication.factor", "1",
        "share.coordinator.state.topic.min.isr", "1",
        // Nobody else will join: don't hold the first consumer group back for 3 s.
        "group.initial.rebalance.delay.ms", "0"));
    return p;
  }

  private void format(Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return; // formatted before: keep the cluster id and the data
    }
    try {
      Files.createDirectories(logDir);
      new Formatter()
          .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("Could not format the Kafka data directory " + logDir + ": " + e.getMessage(), e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin = admin()) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("The broker at " + bootstrapServers() + " did not answer within "
                + READY_TIMEOUT.toSeconds() + " s", e);
          }
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Kafka broker to start", e);
    }
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  private static void requireFree(int port, String role) {
    try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      // free
    } catch (IOException e) {
      throw new IllegalStateException("Port " + port + " on " + HOST + " (Kafka " + role + " listener) is in use; "
          + "stop what holds it (ss -ltnp | grep :" + port + ") or start with port 0 to pick a free one", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port on " + HOST, e);
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
