package io.facestream.recognize.job;

import io.facestream.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes {@link GalleryRecord}s to the {@code gallery} topic as they are: keyed by identity, the encoded entry as value. */
public final class GalleryRecordSerializer implements KafkaRecordSerializationSchema<GalleryRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(GalleryRecord record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(Topics.GALLERY.name(), null, timestamp,
                record.identityId().getBytes(StandardCharsets.UTF_8), record.entry());
    }
}
