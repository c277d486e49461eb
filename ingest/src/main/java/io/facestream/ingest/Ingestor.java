package io.facestream.ingest;

import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer loop of one camera: reads its source, caps the frame rate, encodes JPEG and produces {@link Frame}
 * records to {@code frames} keyed by camera id; reopens a failed or ended live source with exponential backoff.
 * {@link #run()} blocks until the source ends (a file without loop), {@link #stop()} is called, or a permanent
 * error is thrown.
 */
public final class Ingestor implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Ingestor.class);

    private final IngestOptions options;
    private final Producer<String, Frame> producer;
    private final Supplier<FrameSource> opener;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile boolean stopped;
    private long sequence;
    private long readSinceOpen;

    /** An ingestor that opens its source from the options and sends through {@code producer} (which the caller closes). */
    public Ingestor(IngestOptions options, Producer<String, Frame> producer) {
        this(options, producer, options::openSource);
    }

    /** An ingestor with its own way to open the source, e.g. a source made up in a test. */
    public Ingestor(IngestOptions options, Producer<String, Frame> producer, Supplier<FrameSource> opener) {
        if (options == null || producer == null || opener == null) {
            throw new IllegalArgumentException("an ingestor needs options, a producer and a source opener, got "
                    + options + ", " + producer + ", " + opener);
        }
        this.options = options;
        this.producer = producer;
        this.opener = opener;
    }

    /**
     * Producer settings for {@code frames}: requests large enough for a 1080p JPEG, no compression (JPEG does not
     * shrink), a short linger so frames leave in small batches without adding visible latency.
     */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_FRAME_BYTES + 1024 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /** A producer for {@code frames} with {@link #producerConfig(String)} and the topic's serdes. */
    public static Producer<String, Frame> createProducer(String bootstrapServers) {
        return new KafkaProducer<>(producerConfig(bootstrapServers), Topics.FRAMES.keySerde().serializer(),
                Topics.FRAMES.valueSerde().serializer());
    }

    @Override
    public void run() {
        FrameRateCap cap = new FrameRateCap(options.maxFps());
        int failuresInARow = 0;
        try (JpegEncoder encoder = new JpegEncoder(options.jpegQuality())) {
            while (!stopped) {
                String failure;
                readSinceOpen = 0;
                try (FrameSource source = opener.get()) {
                    pump(source, cap, encoder);
                    if (stopped || (options.source().finite() && !options.loop())) {
                        break;
                    }
                    failure = source.description() + " ended unexpectedly";
                } catch (FrameSourceException e) {
                    if (stopped) {
                        break;
                    }
                    if (e.permanent() || (options.source().finite() && !options.loop())) {
                        // Reading a file again from its start would send its frames twice.
                        throw e;
                    }
                    failure = e.getMessage();
                }
                // A source that delivered frames before failing was up: start the backoff from the beginning.
                failuresInARow = readSinceOpen > 0 ? 1 : failuresInARow + 1;
                Duration delay = options.backoff().delay(failuresInARow);
                LOG.warn("camera {}: {}; opening it again in {} ms (attempt {})", options.cameraId(), failure,
                        delay.toMillis(), failuresInARow);
                if (stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
                reconnects.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.flush();
        }
    }

    /** Sends frames until the source ends or stop is asked. */
    private void pump(FrameSource source, FrameRateCap cap, JpegEncoder encoder) {
        while (!stopped) {
            Optional<DecodedFrame> next = source.next();
            if (next.isEmpty()) {
                break;
            }
            readSinceOpen++;
            read.incrementAndGet();
            DecodedFrame decoded = next.get();
            if (!cap.admit(decoded.timestampMicros())) {
                dropped.incrementAndGet();
                continue;
            }
            byte[] jpeg = encoder.encode(decoded.image());
            Frame frame = new Frame(options.cameraId(), sequence++, decoded.captureTime(), decoded.width(),
                    decoded.height(), jpeg);
            producer.send(new ProducerRecord<>(Topics.FRAMES.name(), options.cameraId(), frame), (meta, error) -> {
                if (error == null) {
                    sent.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    LOG.warn("camera {}: frame {} ({} JPEG bytes) was not delivered to {}: {}", options.cameraId(),
                            frame.sequence(), jpeg.length, Topics.FRAMES.name(), error.toString());
                }
            });
        }
    }

    /** Asks the loop to finish after the frame in hand; returns at once. */
    public void stop() {
        stopped = true;
        stopSignal.countDown();
    }

    /** The counters so far. */
    public IngestStats stats() {
        return new IngestStats(read.get(), sent.get(), dropped.get(), failed.get(), reconnects.get());
    }

    /** The options this ingestor runs with. */
    public IngestOptions options() {
        return options;
    }
}
