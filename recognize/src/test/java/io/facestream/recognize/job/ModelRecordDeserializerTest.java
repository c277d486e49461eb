package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.event.ModelRecord;
import io.facestream.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The models topic's reader: a model goes on, a record that is not one is skipped, a failure downstream is not. */
class ModelRecordDeserializerTest {

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>(Topics.MODELS.name(), 0, 7, "m".getBytes(StandardCharsets.UTF_8), value);
    }

    private static byte[] model(String id) {
        ModelRecord m = new ModelRecord(id, "mobilefacenet-192", new byte[] {1, 2, 3}, null, Map.of("steps", 150.0));
        return Topics.MODELS.valueSerde().serializer().serialize(Topics.MODELS.name(), m);
    }

    /** A collector that keeps what it is given. */
    private static final class Kept implements Collector<ModelRecord> {
        final List<ModelRecord> got = new ArrayList<>();

        @Override
        public void collect(ModelRecord m) {
            got.add(m);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void passesModelsOnAndSkipsWhatIsNotOne() {
        ModelRecordDeserializer d = new ModelRecordDeserializer();
        Kept out = new Kept();
        d.deserialize(record(model("m-1")), out);
        d.deserialize(record("not json".getBytes(StandardCharsets.UTF_8)), out);
        d.deserialize(record(null), out);
        d.deserialize(record(model("m-2")), out);
        assertEquals(List.of("m-1", "m-2"), out.got.stream().map(ModelRecord::modelId).toList());
        assertArrayEquals(new byte[] {1, 2, 3}, out.got.get(0).weights());
    }

    @Test
    void aFailureDownstreamIsNotTakenForABadRecord() {
        IllegalStateException downstream = new IllegalStateException("Could not forward element to next operator");
        Collector<ModelRecord> broken = new Collector<>() {
            @Override
            public void collect(ModelRecord m) {
                throw downstream;
            }

            @Override
            public void close() {
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ModelRecordDeserializer().deserialize(record(model("m-1")), broken));
        assertSame(downstream, e);
        assertTrue(e.getMessage().contains("next operator"));
    }
}
