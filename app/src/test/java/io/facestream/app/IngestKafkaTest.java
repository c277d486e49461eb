package io.facestream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.facestream.app.local.EmbeddedKafka;
import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import io.facestream.ingest.IngestOptions;
import io.facestream.ingest.IngestStats;
import io.facestream.ingest.Ingestor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A video file ingested into {@code frames} on a real in-process broker and read back. */
class IngestKafkaTest {

  private static final String CLIP = "tears_of_steel_cc-by_640x360_10s.mp4";

  @TempDir Path dataDir;

  @Test
  void everyFrameOfTheClipArrivesInOrderUnderTheCameraId() throws Exception {
    String shared = System.getProperty("facestream.shared");
    Path clip = shared == null ? null : Path.of(shared, "data", "video", CLIP);
    if (clip == null || !Files.isRegularFile(clip)) {
      String reason = "skipped: " + CLIP + " not found under facestream.shared=" + shared;
      System.out.println(reason);
      assumeTrue(false, reason);
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
      kafka.createTopics(List.of(Topics.FRAMES.newTopic(1, (short) 1)));
      IngestOptions options = IngestOptions.of("tears-640", clip.toString());
      Ingestor ingestor;
      long started = System.nanoTime();
      try (Producer<String, Frame> producer = Ingestor.createProducer(kafka.bootstrapServers())) {
        ingestor = new Ingestor(options, producer);
        ingestor.run();
      }
      long ingestMs = (System.nanoTime() - started) / 1_000_000;
      IngestStats stats = ingestor.stats();
      System.out.printf("ingested %s: %s in %d ms%n", CLIP, stats, ingestMs);
      assertTrue(stats.read() >= 240 && stats.read() <= 250, "frames read " + stats.read());
      assertEquals(new IngestStats(stats.read(), stats.read(), 0, 0, 0), stats);

      List<ConsumerRecord<String, Frame>> records = consumeAll(kafka.bootstrapServers(), stats.read());
      assertEquals(stats.read(), records.size());
      for (int i = 0; i < records.size(); i++) {
        ConsumerRecord<String, Frame> r = records.get(i);
        assertEquals("tears-640", r.key());
        assertEquals("tears-640", r.value().cameraId());
        assertEquals(i, r.value().sequence(), "sequences are contiguous from 0");
        assertEquals(640, r.value().width());
        assertEquals(360, r.value().height());
      }
      for (int i : new int[] {0, records.size() / 2, records.size() - 1}) {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(records.get(i).value().jpeg()));
        assertEquals(640, image.getWidth(), "JPEG width of frame " + i);
        assertEquals(360, image.getHeight(), "JPEG height of frame " + i);
      }
      assertTrue(records.get(records.size() - 1).value().captureTime()
          .isAfter(records.get(0).value().captureTime().plusSeconds(9)), "capture times span the 10 s clip");
    }
  }

  private static List<ConsumerRecord<String, Frame>> consumeAll(String bootstrap, long expected) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "ingest-test",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_FRAME_BYTES);
    List<ConsumerRecord<String, Frame>> records = new ArrayList<>();
    try (KafkaConsumer<String, Frame> consumer = new KafkaConsumer<>(config, Topics.FRAMES.keySerde().deserializer(),
        Topics.FRAMES.valueSerde().deserializer())) {
      consumer.subscribe(List.of(Topics.FRAMES.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
