package io.facestream.gallery.stream;

import io.facestream.core.event.MatchEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Times a match event by when its frame was captured, not when the record was written: a visit is what
 * the camera saw, and replaying the same video gives the same visits however fast it is processed.
 */
public final class CaptureTime implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof MatchEvent event) {
            return event.captureTime().toEpochMilli();
        }
        // Not a match (a record the serde could not read is skipped later): the record's own time will do.
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}
