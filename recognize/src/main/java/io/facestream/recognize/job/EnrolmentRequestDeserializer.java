package io.facestream.recognize.job;

import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.topic.Topics;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code enrolments} with the catalogue's serde. A record that is not a request carries no request
 * id to answer under in {@code enrolment-results}, so it is logged and skipped; every request that does
 * decode gets a result, an error with the reason when its photo is no good.
 */
public final class EnrolmentRequestDeserializer implements KafkaRecordDeserializationSchema<EnrolmentRequest> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EnrolmentRequestDeserializer.class);

    private transient Deserializer<EnrolmentRequest> requests;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<EnrolmentRequest> out) {
        if (requests == null) {
            requests = Topics.ENROLMENTS.valueSerde().deserializer();
        }
        try {
            EnrolmentRequest r = requests.deserialize(record.topic(), record.value());
            if (r == null) {
                throw new IllegalArgumentException("it has no value");
            }
            out.collect(r);
        } catch (RuntimeException e) {
            LOG.warn("Skipped record {}-{}@{}: it is not an enrolment request ({}).", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    @Override
    public TypeInformation<EnrolmentRequest> getProducedType() {
        return TypeInformation.of(EnrolmentRequest.class);
    }
}
