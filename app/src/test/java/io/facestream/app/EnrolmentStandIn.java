package io.facestream.app;

import io.facestream.core.BoundingBox;
import io.facestream.core.DetectedFace;
import io.facestream.core.Embedding;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.MatchEvent;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the recognize job's part for the gallery test while that job's enrolment is not on this branch: reads
 * {@code enrolments}, detects the one face of each photo with the real {@link FaceEngine}, and writes the entry
 * (aligned crop as PNG, real embedding) to {@code gallery} and the outcome to {@code enrolment-results}; and, for
 * the match step, embeds a frame's face and writes the nearest identity as a {@link MatchEvent} to {@code matches}.
 */
final class EnrolmentStandIn implements AutoCloseable {

    private final FaceEngine engine;
    private final FaceModel model;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final Map<String, GalleryEntry> entries = new ConcurrentHashMap<>();
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    EnrolmentStandIn(String bootstrap, FaceEngine engine, FaceModel model) {
        this.engine = engine;
        this.model = model;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "enrolment-stand-in",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_FRAME_BYTES),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_FRAME_BYTES),
                new StringSerializer(), new ByteArraySerializer());
        consumer.subscribe(List.of(Topics.ENROLMENTS.name()));
        this.thread = new Thread(this::run, "enrolment-stand-in");
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    enrol(Topics.ENROLMENTS.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private void enrol(EnrolmentRequest request) throws Exception {
        String id = request.identityId();
        RgbImage image;
        try {
            image = RgbImage.decode(request.image(), "the enrolment image of " + id);
        } catch (IOException e) {
            result(EnrolmentResult.error(request.requestId(), id, e.getMessage()));
            return;
        }
        List<DetectedFace> faces = engine.detect(image);
        if (faces.size() != 1) {
            result(EnrolmentResult.error(request.requestId(), id, faces.isEmpty() ? "no face found in the enrolment image"
                    : faces.size() + " faces found; an enrolment image must show exactly one face"));
            return;
        }
        Embedding e = engine.embed(image, faces, model, false).get(0);
        byte[] crop = png(engine.crop(image, faces.get(0), model));
        GalleryEntry before = entries.get(id);
        List<byte[]> crops = new ArrayList<>(before == null ? List.of() : before.crops());
        crops.add(crop);
        List<Embedding> embeddings = new ArrayList<>(before == null ? List.of() : before.embeddingsOf(model.modelId()));
        embeddings.add(e);
        GalleryEntry entry = new GalleryEntry(id, request.displayName(), crops, Map.of(model.modelId(), embeddings),
                before == null ? Instant.now() : before.enrolledAt());
        entries.put(id, entry);
        producer.send(new ProducerRecord<>(Topics.GALLERY.name(), id,
                Topics.GALLERY.valueSerde().serializer().serialize(Topics.GALLERY.name(), entry))).get();
        result(EnrolmentResult.ok(request.requestId(), id));
    }

    private void result(EnrolmentResult r) throws Exception {
        producer.send(new ProducerRecord<>(Topics.ENROLMENT_RESULTS.name(), r.requestId(),
                Topics.ENROLMENT_RESULTS.valueSerde().serializer().serialize(Topics.ENROLMENT_RESULTS.name(), r))).get();
    }

    /** Matches the one face of a frame against the entries enrolled so far and writes the event; returns it. */
    MatchEvent match(RgbImage frame, String camera, long sequence, long trackId, Instant capturedAt) throws Exception {
        List<DetectedFace> faces = engine.detect(frame);
        if (faces.size() != 1) {
            throw new IllegalStateException("the match frame should show one face, found " + faces.size());
        }
        Embedding e = engine.embed(frame, faces, model, false).get(0);
        String nearest = null;
        double best = Double.MAX_VALUE;
        for (GalleryEntry entry : entries.values()) {
            for (Embedding g : entry.embeddingsOf(model.modelId())) {
                double d = e.squaredDistance(g);
                if (d < best) {
                    best = d;
                    nearest = entry.identityId();
                }
            }
        }
        DetectedFace f = faces.get(0);
        BoundingBox box = f.box();
        MatchEvent event = new MatchEvent(MatchEvent.eventId(camera, sequence, 0), camera, sequence, capturedAt,
                Instant.now(), trackId, box, f.landmarks(), best <= model.threshold() ? nearest : null,
                nearest == null ? null : best, model.threshold(), model.modelId());
        producer.send(new ProducerRecord<>(Topics.MATCHES.name(), camera,
                Topics.MATCHES.valueSerde().serializer().serialize(Topics.MATCHES.name(), event))).get();
        return event;
    }

    /** The distance of the nearest embedding of each identity to the frame's face, for the test's messages. */
    Map<String, Double> distances(RgbImage frame) {
        List<DetectedFace> faces = engine.detect(frame);
        Embedding e = engine.embed(frame, faces, model, false).get(0);
        Map<String, Double> out = new java.util.TreeMap<>();
        entries.forEach((id, entry) -> out.put(id, entry.embeddingsOf(model.modelId()).stream()
                .mapToDouble(e::squaredDistance).min().orElse(Double.NaN)));
        return out;
    }

    /** Why the stand-in stopped, null while it runs. */
    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        consumer.close();
        producer.close();
    }

    private static byte[] png(FaceCrop crop) throws IOException {
        int n = crop.size();
        BufferedImage img = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                img.setRGB(x, y, channel(crop, 0, y, x) << 16 | channel(crop, 1, y, x) << 8 | channel(crop, 2, y, x));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static int channel(FaceCrop crop, int c, int y, int x) {
        return Math.max(0, Math.min(255, Math.round(crop.get(c, y, x))));
    }
}
