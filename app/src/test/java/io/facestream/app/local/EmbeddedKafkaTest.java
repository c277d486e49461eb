package io.facestream.app.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
  @TempDir static Path dataDir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start(dataDir);
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void idempotentRecordsComeBackFromBothPartitions() throws Exception {
    kafka.createTopics(List.of(new NewTopic("frames", 2, (short) 1)));
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      for (int i = 0; i < 1000; i++) {
        sent.add(producer.send(new ProducerRecord<>("frames", "camera-" + (i % 7), "frame-" + i)));
      }
    }
    for (Future<RecordMetadata> f : sent) {
      assertTrue(f.isDone());
      f.get(); // throws the send's error, if any
    }
    List<ConsumerRecord<String, String>> records = readAll("frames", "read_committed", 1000);

    assertEquals(1000, records.size());
    Set<String> values = records.stream().map(ConsumerRecord::value).collect(Collectors.toSet());
    assertEquals(IntStream.range(0, 1000).mapToObj(i -> "frame-" + i).collect(Collectors.toSet()), values);
    for (ConsumerRecord<String, String> r : records) {
      int i = Integer.parseInt(r.value().substring("frame-".length()));
      assertEquals("camera-" + (i % 7), r.key());
    }
    assertEquals(Set.of(0, 1), records.stream().map(ConsumerRecord::partition).collect(Collectors.toSet()));
  }

  @Test
  void abortedTransactionsAreInvisibleToReadCommitted() {
    kafka.createTopics(List.of(new NewTopic("matches", 2, (short) 1)));
    try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test"))) {
      producer.initTransactions();
      sendInTransaction(producer, "committed", 10, true);
      sendInTransaction(producer, "aborted", 10, false);
      sendInTransaction(producer, "after", 5, true);
    }
    List<String> committed = values(readAll("matches", "read_committed", 15));
    assertEquals(15, committed.size());
    assertTrue(committed.stream().noneMatch(v -> v.startsWith("aborted")), committed::toString);
    assertEquals(10, committed.stream().filter(v -> v.startsWith("committed")).count());
    // The aborted records were written: a read_uncommitted reader sees them.
    List<String> all = values(readAll("matches", "read_uncommitted", 25));
    assertEquals(10, all.stream().filter(v -> v.startsWith("aborted")).count());
  }

  @Test
  void recordsSurviveARestartOnTheSameDataDir() {
    kafka.createTopics(List.of(new NewTopic("gallery", 2, (short) 1)));
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      IntStream.range(0, 200).forEach(i -> producer.send(new ProducerRecord<>("gallery", "id-" + i, "face-" + i)));
    }
    List<String> before = values(readAll("gallery", "read_committed", 200));
    String bootstrap = kafka.bootstrapServers();

    kafka.restart();
    assertEquals(bootstrap, kafka.bootstrapServers());
    assertEquals(before, values(readAll("gallery", "read_committed", 200)));

    kafka.close();
    kafka = EmbeddedKafka.start(dataDir); // a new instance, new ports, same formatted dir
    assertEquals(before, values(readAll("gallery", "read_committed", 200)));
  }

  @Test
  void aPortInUseIsNamedInTheError(@TempDir Path otherDir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> EmbeddedKafka.start(otherDir, taken.getLocalPort(), 0));
      assertTrue(e.getMessage().contains("Port " + taken.getLocalPort() + " on 127.0.0.1"), e.getMessage());
    }
  }

  @Test
  void aBrokerPrintsNothingOnStdout(@TempDir Path otherDir) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try (EmbeddedKafka other = EmbeddedKafka.start(otherDir)) {
      other.createTopics(List.of(new NewTopic("quiet", 1, (short) 1)));
      other.restart();
    } finally {
      System.setOut(stdout);
    }
    assertEquals("", printed.toString(StandardCharsets.UTF_8));
  }

  private static void sendInTransaction(KafkaProducer<String, String> producer, String prefix, int n, boolean commit) {
    producer.beginTransaction();
    for (int i = 0; i < n; i++) {
      producer.send(new ProducerRecord<>("matches", prefix + "-" + i, prefix + "-" + i));
    }
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.flush();
      producer.abortTransaction();
    }
  }

  private static KafkaProducer<String, String> producer(Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 5,
        // A broken broker should fail the test in seconds, not after the default two minutes.
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000));
    config.putAll(extra);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /** Reads a topic from the beginning until {@code expected} records arrived and nothing more follows. */
  private static List<ConsumerRecord<String, String>> readAll(String topic, String isolation, int expected) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      consumer.assign(partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList());
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      // One more poll: more than expected must show up as a failed count, not go unseen.
      consumer.poll(Duration.ofMillis(300)).forEach(records::add);
    }
    records.sort(Comparator.comparing((ConsumerRecord<String, String> r) -> r.partition())
        .thenComparingLong(ConsumerRecord::offset));
    return records;
  }

  private static List<String> values(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(ConsumerRecord::value).toList();
  }
}
