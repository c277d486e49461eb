package io.facestream.recognize.job;

import io.facestream.core.event.ModelRecord;
import io.facestream.core.topic.Topics;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code models} topic. A record that is not a model (or a tombstone: a model is never
 * unpublished by deleting it, a newer one replaces it) is logged and skipped: the trainer is the topic's writer.
 */
public final class ModelRecordDeserializer implements KafkaRecordDeserializationSchema<ModelRecord> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelRecordDeserializer.class);

    private transient Deserializer<ModelRecord> models;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ModelRecord> out) {
        if (models == null) {
            models = Topics.MODELS.valueSerde().deserializer();
        }
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        ModelRecord m;
        try {
            m = record.value() == null ? null : models.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            LOG.warn("Skipped models record {}: it is not a model ({})", where, e.getMessage());
            return;
        }
        if (m == null) {
            LOG.warn("Skipped models record {}: it has no value", where);
            return;
        }
        // Outside the try: a failure downstream (the job stopping, a broken operator) is not a bad record, and must not
        // pass a model by unseen.
        out.collect(m);
    }

    @Override
    public TypeInformation<ModelRecord> getProducedType() {
        return TypeInformation.of(ModelRecord.class);
    }
}
