package io.facestream.recognize.job;

import io.facestream.core.event.Frame;
import io.facestream.core.topic.Topics;
import java.time.Clock;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads {@code frames} records with the catalogue's serde. A record that is not a frame is not dropped: it
 * becomes a rejected {@link FrameInput} carrying its raw bytes, key and the reason, bound for
 * {@code frames.dlq}.
 */
public final class FrameRecordDeserializer implements KafkaRecordDeserializationSchema<FrameInput> {

    private static final long serialVersionUID = 1L;

    private transient Deserializer<Frame> frames;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<FrameInput> out) {
        if (frames == null) {
            frames = Topics.FRAMES.valueSerde().deserializer();
        }
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        out.collect(FrameInput.decode(frames, record.topic(), record.key(), record.value(), where,
                Clock.systemUTC().instant()));
    }

    @Override
    public TypeInformation<FrameInput> getProducedType() {
        return TypeInformation.of(FrameInput.class);
    }
}
