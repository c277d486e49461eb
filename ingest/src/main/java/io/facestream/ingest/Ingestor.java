package io.facestream.ingest;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer loop of one camera: reads its source, caps the frame rate, encodes JPEG and produces {@link Frame}
 * records to {@code frames} keyed by camera id; reopens a failed or ended live source with exponential backoff.
 * {@link #run()} blocks until the source ends (a file without loop), {@link #stop()} is called, or a permanent
 * error is thrown.
 *
 * <p>A frame too large for {@code frames} becomes a {@link DeadLetter} in {@code frames.dlq} and the stream goes on:
 * frames over {@link IngestOptions#maxRecordBytes()} are caught before they are sent, and a frame the producer or the
 * broker refuses with {@link RecordTooLargeException} (a topic configured smaller than the catalogue says) follows
 * it there when the refusal comes back.
 */
public final class Ingestor implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Ingestor.class);

    /**
     * The most value bytes a dead letter carries: {@code frames.dlq} takes this plus 1 MiB, room for the key and the
     * reason. A larger frame's dead letter keeps its size and metadata in the reason and leaves the bytes out.
     */
    public static final int DEAD_LETTER_VALUE_LIMIT = Topics.MAX_FRAME_BYTES;

    /** How often a stream of oversized frames is logged: the first, then every this many. */
    private static final long LOG_EVERY = 250;

    private final IngestOptions options;
    private final Producer<String, Frame> producer;
    private final Producer<String, DeadLetter> deadLetterProducer;
    private final Supplier<FrameSource> opener;
    private final Serializer<String> keySerializer = Topics.FRAMES.keySerde().serializer();
    private final Serializer<Frame> valueSerializer = Topics.FRAMES.valueSerde().serializer();
    /** Dead letters of frames the broker refused: made on the producer's I/O thread, sent from the loop's. */
    private final Queue<DeadLetter> refused = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong oversized = new AtomicLong();
    private volatile boolean stopped;
    private long sequence;
    private long readSinceOpen;

    /**
     * An ingestor that opens its source from the options and sends through {@code producer} (which the caller
     * closes); the producer must come from {@link #createProducer(String)}, which carries the dead-letter producer.
     */
    public Ingestor(IngestOptions options, Producer<String, Frame> producer) {
        this(options, producer, options::openSource);
    }

    /** An ingestor with its own way to open the source, e.g. a source made up in a test. */
    public Ingestor(IngestOptions options, Producer<String, Frame> producer, Supplier<FrameSource> opener) {
        this(options, producer, deadLetterProducerOf(producer), opener);
    }

    /** An ingestor with a producer of its own for {@code frames.dlq} (the caller closes both producers). */
    public Ingestor(IngestOptions options, Producer<String, Frame> producer,
            Producer<String, DeadLetter> deadLetterProducer, Supplier<FrameSource> opener) {
        if (options == null || producer == null || deadLetterProducer == null || opener == null) {
            throw new IllegalArgumentException("an ingestor needs options, a frames producer, a dead-letter producer "
                    + "and a source opener, got " + options + ", " + producer + ", " + deadLetterProducer + ", " + opener);
        }
        this.options = options;
        this.producer = producer;
        this.deadLetterProducer = deadLetterProducer;
        this.opener = opener;
        this.sequence = options.firstSequence();
    }

    private static Producer<String, DeadLetter> deadLetterProducerOf(Producer<String, Frame> producer) {
        if (producer instanceof FramesProducer frames) {
            return frames.deadLetters();
        }
        throw new IllegalArgumentException("frames too large for their topic go to " + Topics.FRAMES_DLQ.name()
                + ", and " + producer + " has no producer for it; make the producer with Ingestor.createProducer, or "
                + "give a dead-letter producer to the constructor that takes one");
    }

    /**
     * Producer settings for {@code frames}: requests large enough for a 1080p JPEG, no compression (JPEG does not
     * shrink), and no linger: a camera sends a frame every 40 ms or so, so waiting for a second frame to share the
     * request would only add the wait to every frame's latency (Kafka 4's default is 5 ms).
     */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_FRAME_BYTES + 1024 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /**
     * A producer for {@code frames} with {@link #producerConfig(String)} and the topic's serdes, carrying the producer
     * of {@code frames.dlq} (closed with it).
     */
    public static FramesProducer createProducer(String bootstrapServers) {
        return new FramesProducer(bootstrapServers);
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
            // Every refusal has come back once the frames are flushed; their dead letters go out last.
            producer.flush();
            sendRefused();
            deadLetterProducer.flush();
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
            sendRefused();
            // Serialised here as the producer will, to know the record's size before it is sent.
            byte[] value = valueSerializer.serialize(Topics.FRAMES.name(), frame);
            int recordBytes = recordBytes(value);
            if (recordBytes > options.maxRecordBytes()) {
                sendDeadLetter(deadLetter(frame, value, recordBytes, "is over the " + options.maxRecordBytes()
                        + "-byte limit for " + Topics.FRAMES.name() + "; lower the JPEG quality or the resolution of "
                        + "the camera", DEAD_LETTER_VALUE_LIMIT, Instant.now()));
                continue;
            }
            producer.send(new ProducerRecord<>(Topics.FRAMES.name(), options.cameraId(), frame), (meta, error) -> {
                if (error == null) {
                    sent.incrementAndGet();
                } else if (error instanceof RecordTooLargeException) {
                    refused.add(deadLetter(frame, valueSerializer.serialize(Topics.FRAMES.name(), frame), recordBytes,
                            "was refused as too large (" + error.getMessage() + "); the " + Topics.FRAMES.name()
                            + " topic or the producer takes less than the catalogue's " + Topics.MAX_FRAME_BYTES
                            + " bytes, check its max.message.bytes", DEAD_LETTER_VALUE_LIMIT, Instant.now()));
                } else {
                    failed.incrementAndGet();
                    LOG.warn("camera {}: frame {} ({} JPEG bytes) was not delivered to {}: {}", options.cameraId(),
                            frame.sequence(), jpeg.length, Topics.FRAMES.name(), error.toString());
                }
            });
        }
    }

    /** The record's size as the producer counts it against its max.request.size (no compression: JPEG). */
    private int recordBytes(byte[] value) {
        byte[] key = keySerializer.serialize(Topics.FRAMES.name(), options.cameraId());
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                key, value, Record.EMPTY_HEADERS);
    }

    /**
     * The dead letter of a frame too large for {@code frames}: its raw value when that is at most
     * {@code valueLimit} bytes, otherwise no bytes; the reason names the frame, its size and what to change.
     */
    static DeadLetter deadLetter(Frame frame, byte[] value, int recordBytes, String why, int valueLimit, Instant now) {
        boolean keep = value.length <= valueLimit;
        String error = "frame " + frame.sequence() + " of camera " + frame.cameraId() + " (" + frame.width() + "x"
                + frame.height() + ", captured " + frame.captureTime() + ") is a " + recordBytes + "-byte record with a "
                + value.length + "-byte value and " + why
                + (keep ? "" : "; its value is left out here, being over the " + valueLimit + " bytes a dead letter "
                        + "carries");
        return new DeadLetter(Topics.FRAMES.name(), frame.cameraId(), keep ? value : new byte[0], error, now);
    }

    /** Sends the dead letters of the frames the broker refused so far; on the loop's thread only. */
    private void sendRefused() {
        for (DeadLetter d = refused.poll(); d != null; d = refused.poll()) {
            sendDeadLetter(d);
        }
    }

    private void sendDeadLetter(DeadLetter letter) {
        long n = oversized.incrementAndGet();
        if (n == 1 || n % LOG_EVERY == 0) {
            LOG.warn("camera {}: {} (to {}; {} oversized frame(s) so far)", options.cameraId(), letter.error(),
                    Topics.FRAMES_DLQ.name(), n);
        }
        deadLetterProducer.send(new ProducerRecord<>(Topics.FRAMES_DLQ.name(), letter.key(), letter), (meta, error) -> {
            if (error == null) {
                deadLetters.incrementAndGet();
            } else {
                failed.incrementAndGet();
                LOG.error("camera {}: a frame too large for {} is lost: its dead letter could not be written to {} "
                        + "either: {}. The frame: {}", options.cameraId(), Topics.FRAMES.name(),
                        Topics.FRAMES_DLQ.name(), error.toString(), letter.error());
            }
        });
    }

    /** Asks the loop to finish after the frame in hand; returns at once. */
    public void stop() {
        stopped = true;
        stopSignal.countDown();
    }

    /** The counters so far. */
    public IngestStats stats() {
        return new IngestStats(read.get(), sent.get(), dropped.get(), failed.get(), reconnects.get(),
                deadLetters.get());
    }

    /** The options this ingestor runs with. */
    public IngestOptions options() {
        return options;
    }
}
