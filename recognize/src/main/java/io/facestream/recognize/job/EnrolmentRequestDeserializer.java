package io.facestream.recognize.job;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads {@code enrolments} with the catalogue's serde. A record that is not a request carries no request id to
 * answer under in {@code enrolment-results}, so it becomes a rejected {@link InputRecord} with its raw bytes, key
 * and the reason, bound for {@code enrolments.dlq}; every request that does decode gets a result, an error with the
 * reason when its photo is no good.
 */
public final class EnrolmentRequestDeserializer implements KafkaRecordDeserializationSchema<InputRecord<EnrolmentRequest>> {

    private static final long serialVersionUID = 1L;

    private transient Deserializer<EnrolmentRequest> requests;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<InputRecord<EnrolmentRequest>> out) {
        if (requests == null) {
            requests = Topics.ENROLMENTS.valueSerde().deserializer();
        }
        out.collect(read(requests, record, Clock.systemUTC()));
    }

    /** The request in {@code record}, or the record rejected with the reason. */
    static InputRecord<EnrolmentRequest> read(Deserializer<EnrolmentRequest> requests,
            ConsumerRecord<byte[], byte[]> record, Clock clock) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            return InputRecord.rejected(new DeadLetter(record.topic(), key, new byte[0], "record " + where
                    + " has no value (null), not an enrolment request", clock.instant()));
        }
        try {
            return InputRecord.of(requests.deserialize(record.topic(), record.value()));
        } catch (RuntimeException e) {
            return InputRecord.rejected(new DeadLetter(record.topic(), key, record.value(), "record " + where
                    + " is not an enrolment request: " + e.getMessage(), clock.instant()));
        }
    }

    @Override
    public TypeInformation<InputRecord<EnrolmentRequest>> getProducedType() {
        return TypeInformation.of(new TypeHint<InputRecord<EnrolmentRequest>>() { });
    }
}
