package io.facestream.gallery.stream;

import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.topic.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the gallery service writes: enrolment requests on {@code enrolments}, renamed entries on {@code gallery},
 * the tombstones of a deletion on {@code gallery} and {@code sightings}, and those of an unknown group's deletion
 * on {@code unknowns} and {@code sightings}. Each write waits for the broker's acknowledgement, so an accepted HTTP request is
 * durably on its topic.
 */
public final class GalleryWriter implements AutoCloseable {

    /** How long a write may wait for the cluster before the HTTP request fails. */
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);

    private final Producer<String, byte[]> producer;
    private final Serializer<EnrolmentRequest> requests = Topics.ENROLMENTS.valueSerde().serializer();

    public GalleryWriter(String bootstrapServers) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // An enrolment carries its photo: up to what the enrolments topic accepts.
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_FRAME_BYTES,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis() / 2,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(config, Topics.ENROLMENTS.keySerde().serializer(),
                (topic, bytes) -> bytes);
    }

    /** Puts an enrolment request on {@code enrolments}, keyed by its identity id. */
    public void enrol(EnrolmentRequest request) {
        send(new ProducerRecord<>(Topics.ENROLMENTS.name(), request.identityId(),
                requests.serialize(Topics.ENROLMENTS.name(), request)));
    }

    /**
     * Erases the identity from the topics keyed by it: a tombstone on {@code sightings} (compaction removes the
     * visits published so far), then one on the compacted {@code gallery} topic: every reader of the topic drops the
     * person, and compaction removes their earlier records (crops and embeddings) from the log. The gallery's goes
     * last, so that a deletion that failed half-way is still there to be retried.
     */
    public void delete(String identityId) {
        send(new ProducerRecord<>(Topics.SIGHTINGS.name(), identityId, null));
        send(new ProducerRecord<>(Topics.GALLERY.name(), identityId, null));
    }

    /**
     * Erases an unknown group as {@link #delete} erases a person: a tombstone on {@code sightings} (its published
     * visits), then one on the compacted {@code unknowns} topic (its face crops), last, so that a deletion that
     * failed half-way is still there to be retried.
     */
    public void deleteUnknown(String unknownId) {
        send(new ProducerRecord<>(Topics.SIGHTINGS.name(), unknownId, null));
        send(new ProducerRecord<>(Topics.UNKNOWNS.name(), unknownId, null));
    }

    /**
     * Writes an identity's whole entry to {@code gallery} (a rename): the recognize job adopts it, since it holds
     * every face the job holds.
     */
    public void put(GalleryEntry entry) {
        send(new ProducerRecord<>(Topics.GALLERY.name(), entry.identityId(),
                Topics.GALLERY.valueSerde().serializer().serialize(Topics.GALLERY.name(), entry)));
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + record.topic(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write to " + record.topic() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster did not acknowledge a write to " + record.topic() + " within "
                    + WRITE_TIMEOUT.toSeconds() + " s", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
