package io.facestream.app;

import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.topic.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Enrols a gallery folder (one sub-folder of photos per person, folder name = identity id) the way any client
 * does: one request per photo on {@code enrolments}, then the job's answers read back from
 * {@code enrolment-results}. The recognize job does the detecting and embedding and writes {@code gallery}.
 */
public final class GalleryEnrolment {

    /** Largest photo sent; the {@code enrolments} topic takes records up to its own limit. */
    static final long MAX_PHOTO_BYTES = 8L * 1024 * 1024;

    /** One photo's request and, once it came, its answer (null before). */
    public record Outcome(Path photo, EnrolmentRequest request, EnrolmentResult result) {
    }

    private GalleryEnrolment() {
    }

    /**
     * Sends every photo of {@code dir} and waits up to {@code timeout} for all answers; reports each error
     * on {@code notes}. Fails when a photo got no answer in time or when nobody could be enrolled.
     */
    public static List<Outcome> enrol(String bootstrap, Path dir, Duration timeout, PrintStream notes) throws IOException {
        // In photo order; each request's result is filled in as it arrives.
        Map<String, Outcome> byId = new LinkedHashMap<>();
        for (Outcome o : requests(dir, notes)) {
            byId.put(o.request().requestId(), o);
        }
        try (KafkaConsumer<byte[], byte[]> results = resultReader(bootstrap)) {
            // Every partition from its start: request ids are unique to this run, so older answers never match.
            List<TopicPartition> parts = results.partitionsFor(Topics.ENROLMENT_RESULTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            results.assign(parts);
            results.seekToBeginning(parts);
            send(bootstrap, byId.values().stream().map(Outcome::request).toList());
            long deadline = System.nanoTime() + timeout.toNanos();
            int answered = 0;
            while (answered < byId.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> rec : results.poll(Duration.ofMillis(200))) {
                    EnrolmentResult res = Topics.ENROLMENT_RESULTS.valueSerde().deserializer().deserialize(rec.topic(), rec.value());
                    Outcome pending = byId.get(res.requestId());
                    if (pending != null && pending.result() == null) {
                        byId.put(res.requestId(), new Outcome(pending.photo(), pending.request(), res));
                        answered++;
                    }
                }
            }
            if (answered < byId.size()) {
                throw new IllegalStateException((byId.size() - answered) + " of " + byId.size()
                        + " gallery photos got no answer from the recognize job within " + timeout.toSeconds()
                        + " s; is the job running and reading " + Topics.ENROLMENTS.name() + "?");
            }
        }
        List<Outcome> out = new ArrayList<>(byId.values());
        for (Outcome o : out) {
            if (o.result().status() != EnrolmentResult.Status.OK) {
                notes.println("gallery photo " + o.photo() + " not enrolled: " + o.result().reason());
            }
        }
        if (enrolled(out).isEmpty()) {
            throw new IllegalArgumentException("nobody could be enrolled from " + dir + "; each photo needs exactly one"
                    + " face at least 20 px wide, in a sub-folder named after the person");
        }
        return out;
    }

    /** The identity ids that have at least one enrolled face. */
    public static TreeSet<String> enrolled(List<Outcome> outcomes) {
        TreeSet<String> ids = new TreeSet<>();
        outcomes.stream().filter(o -> o.result().status() == EnrolmentResult.Status.OK)
                .forEach(o -> ids.add(o.request().identityId()));
        return ids;
    }

    /** Refuses a {@code --gallery} that is not a folder, with what it should be. */
    static void requireFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--gallery " + dir + " is not a folder; give a folder with one "
                    + "sub-folder of photos per person");
        }
    }

    /** One request, not yet answered, per readable photo; the request id is "identity/photo-file-name/run". */
    private static List<Outcome> requests(Path dir, PrintStream notes) throws IOException {
        requireFolder(dir);
        List<Outcome> requests = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (Path person : Folders.list(dir, true)) {
            String identity = person.getFileName().toString();
            for (Path photo : Folders.list(person, false)) {
                long size = Files.size(photo);
                if (size == 0 || size > MAX_PHOTO_BYTES) {
                    notes.println("gallery photo " + photo + " skipped: " + size + " bytes (a photo must have 1 byte to "
                            + MAX_PHOTO_BYTES / (1024 * 1024) + " MiB)");
                    continue;
                }
                requests.add(new Outcome(photo, new EnrolmentRequest(identity + "/" + photo.getFileName() + "/" + run,
                        identity, identity, Files.readAllBytes(photo)), null));
            }
        }
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("--gallery " + dir + " has no photos; put each person's photos in a "
                    + "sub-folder named after them");
        }
        return requests;
    }

    private static void send(String bootstrap, List<EnrolmentRequest> requests) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) MAX_PHOTO_BYTES + 64 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (EnrolmentRequest r : requests) {
                byte[] key = Topics.ENROLMENTS.keySerde().serializer().serialize(Topics.ENROLMENTS.name(), r.identityId());
                byte[] value = Topics.ENROLMENTS.valueSerde().serializer().serialize(Topics.ENROLMENTS.name(), r);
                producer.send(new ProducerRecord<>(Topics.ENROLMENTS.name(), key, value));
            }
            producer.flush();
        }
    }

    private static KafkaConsumer<byte[], byte[]> resultReader(String bootstrap) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
