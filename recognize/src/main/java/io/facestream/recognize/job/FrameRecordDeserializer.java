package io.facestream.recognize.job;

import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code frames} records with the catalogue's serde. A record that is not a frame at all is
 * logged and skipped here, since a source cannot emit to a side output; routing those to
 * {@code frames.dlq} too needs a raw-record stage before recognition (a later step).
 */
public final class FrameRecordDeserializer implements KafkaRecordDeserializationSchema<Frame> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FrameRecordDeserializer.class);

    private transient Deserializer<Frame> frames;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Frame> out) {
        if (frames == null) {
            frames = Topics.FRAMES.valueSerde().deserializer();
        }
        try {
            out.collect(frames.deserialize(record.topic(), record.value()));
        } catch (RuntimeException e) {
            LOG.warn("Skipped record {}-{}@{}: it is not a frame ({}).", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    @Override
    public TypeInformation<Frame> getProducedType() {
        return TypeInformation.of(Frame.class);
    }
}
