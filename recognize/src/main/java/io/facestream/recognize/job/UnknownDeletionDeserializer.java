package io.facestream.recognize.job;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the deletions of the {@code unknowns} topic: the id of each tombstone (an operator erased the group). The
 * groups themselves are the job's own output and are skipped.
 */
public final class UnknownDeletionDeserializer implements KafkaRecordDeserializationSchema<String> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
        if (record.value() == null && record.key() != null) {
            out.collect(new String(record.key(), StandardCharsets.UTF_8));
        }
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
