package io.facestream.recognize.job;

import io.facestream.core.event.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the compacted {@code gallery} topic: each record becomes a {@link GalleryRecord} with the partition and offset
 * it was read at, a null value a tombstone. The entry is decoded once here to check it and handed on in its encoded
 * form; a record without a key, or whose value is not a gallery entry of its key, cannot be applied to anyone and
 * becomes a rejected {@link InputRecord}, bound for {@code gallery.dlq} with the reason.
 */
public final class GalleryRecordDeserializer implements KafkaRecordDeserializationSchema<InputRecord<GalleryRecord>> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<InputRecord<GalleryRecord>> out) {
        out.collect(read(record, Clock.systemUTC()));
    }

    /** The gallery record in {@code record}, or the record rejected with the reason. */
    static InputRecord<GalleryRecord> read(ConsumerRecord<byte[], byte[]> record, Clock clock) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        byte[] raw = record.value() == null ? new byte[0] : record.value();
        if (record.key() == null) {
            return InputRecord.rejected(new DeadLetter(record.topic(), null, raw, "gallery record " + where
                    + " has no key, so it names no identity", clock.instant()));
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        try {
            GalleryRecord r = new GalleryRecord(key, record.value()).readAt(record.partition(), record.offset());
            r.decode();
            return InputRecord.of(r);
        } catch (RuntimeException e) {
            return InputRecord.rejected(new DeadLetter(record.topic(), key, raw, "gallery record " + where
                    + " is not a gallery entry of " + key + ": " + e.getMessage(), clock.instant()));
        }
    }

    @Override
    public TypeInformation<InputRecord<GalleryRecord>> getProducedType() {
        return TypeInformation.of(new TypeHint<InputRecord<GalleryRecord>>() { });
    }
}
