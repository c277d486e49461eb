package io.facestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The loop against made-up sources and Kafka's in-memory MockProducer: no broker, no FFmpeg. */
class IngestorTest {

    private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40));

    /** A live-like source that yields {@code frames} frames 40 ms apart, then ends or fails. */
    private static final class ScriptedSource implements FrameSource {
        private final int frames;
        private final boolean failAtEnd;
        private final long startMicros;
        private final BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_3BYTE_BGR);
        private int i;

        ScriptedSource(int frames, boolean failAtEnd, long startMicros) {
            this.frames = frames;
            this.failAtEnd = failAtEnd;
            this.startMicros = startMicros;
        }

        @Override
        public Optional<DecodedFrame> next() {
            if (i == frames) {
                if (failAtEnd) {
                    throw new FrameSourceException("connection to the made-up camera reset", false, null);
                }
                return Optional.empty();
            }
            long ts = startMicros + 40_000L * i++;
            return Optional.of(new DecodedFrame(image, ts, Instant.EPOCH.plusNanos(ts * 1000)));
        }

        @Override
        public String description() {
            return "made-up camera";
        }

        @Override
        public void close() {
        }
    }

    private static MockProducer<String, Frame> producer() {
        return new MockProducer<>(true, null, new StringSerializer(), Topics.FRAMES.valueSerde().serializer());
    }

    @Test
    void aLiveSourceThatFailsIsReopenedWithBackoffAndSequencesRunOn() throws Exception {
        MockProducer<String, Frame> producer = producer();
        AtomicInteger opens = new AtomicInteger();
        IngestOptions options = IngestOptions.of("cam-7", "rtsp://camera/stream").withBackoff(FAST);
        List<Ingestor> self = new ArrayList<>();
        Ingestor ingestor = new Ingestor(options, producer, () -> {
            int n = opens.incrementAndGet();
            if (n == 2) {
                throw new FrameSourceException("camera refused the connection", false, null);
            }
            if (n == 4) {
                self.get(0).stop();
            }
            return new ScriptedSource(5, true, n * 1_000_000L);
        });
        self.add(ingestor);
        long started = System.nanoTime();
        ingestor.run();
        long ms = (System.nanoTime() - started) / 1_000_000;

        // Opens 1 and 3 gave 5 frames each; open 2 failed; open 4 found the stop asked for.
        IngestStats stats = ingestor.stats();
        assertEquals(new IngestStats(10, 10, 0, 0, 3), stats);
        List<ProducerRecord<String, Frame>> sent = producer.history();
        assertEquals(10, sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals("cam-7", sent.get(i).key());
            assertEquals(Topics.FRAMES.name(), sent.get(i).topic());
            assertEquals(i, sent.get(i).value().sequence());
        }
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(sent.get(0).value().jpeg()));
        assertEquals(32, decoded.getWidth());
        // Waits of 10 ms, 20 ms (second failure in a row), then 10 ms again: frames reset the backoff.
        assertTrue(ms >= 10 + 20 + 10, "backoff waits were skipped: the run took " + ms + " ms");
    }

    @Test
    void aFileThatEndsIsNotReopenedAndTheCapCountsDrops() {
        MockProducer<String, Frame> producer = producer();
        AtomicInteger opens = new AtomicInteger();
        IngestOptions options = IngestOptions.of("cam-1", "clip.mp4").withMaxFps(12.5).withBackoff(FAST);
        Ingestor ingestor = new Ingestor(options, producer, () -> {
            opens.incrementAndGet();
            return new ScriptedSource(25, false, 0);
        });
        ingestor.run();
        assertEquals(1, opens.get());
        assertEquals(new IngestStats(25, 13, 12, 0, 0), ingestor.stats());
    }

    @Test
    void aFileThatCannotBeOpenedStopsTheLoopWithTheSourceError() {
        IngestOptions options = IngestOptions.of("cam-1", "missing.mp4").withBackoff(FAST);
        Ingestor ingestor = new Ingestor(options, producer());
        FrameSourceException e = assertThrows(FrameSourceException.class, ingestor::run);
        assertTrue(e.getMessage().contains("missing.mp4 does not exist"), e.getMessage());
        assertEquals(0, ingestor.stats().reconnects());
    }
}
