package io.facestream.recognize.job;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code gallery} topic: each record becomes a {@link GalleryRecord}, a null value a
 * tombstone. The entry is decoded once here to check it and handed on in its encoded form; a record
 * without a key or whose value is not a gallery entry cannot be applied to anyone and is logged and
 * skipped (the job is the topic's writer of entries, so this is a bug elsewhere, not user input).
 */
public final class GalleryRecordDeserializer implements KafkaRecordDeserializationSchema<GalleryRecord> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GalleryRecordDeserializer.class);

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<GalleryRecord> out) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        if (record.key() == null) {
            LOG.warn("Skipped gallery record {}: it has no key, so it names no identity.", where);
            return;
        }
        try {
            GalleryRecord r = new GalleryRecord(new String(record.key(), StandardCharsets.UTF_8), record.value());
            r.decode();
            out.collect(r);
        } catch (RuntimeException e) {
            LOG.warn("Skipped gallery record {}: {}", where, e.getMessage());
        }
    }

    @Override
    public TypeInformation<GalleryRecord> getProducedType() {
        return TypeInformation.of(GalleryRecord.class);
    }
}
