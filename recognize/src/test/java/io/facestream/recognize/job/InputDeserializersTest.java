package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.Embedding;
import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What the enrolments and gallery sources make of good and bad records. */
class InputDeserializersTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void anEnrolmentRequestIsReadAndGarbageBecomesADeadLetterWithTheReason() {
        EnrolmentRequest request = new EnrolmentRequest("r-1", "ada", "Ada", new byte[] {1, 2, 3});
        byte[] value = Topics.ENROLMENTS.valueSerde().serializer().serialize("enrolments", request);
        var read = EnrolmentRequestDeserializer.read(Topics.ENROLMENTS.valueSerde().deserializer(),
                record("enrolments", 1, 7, "ada", value), CLOCK);
        assertEquals(request.requestId(), read.value().requestId());

        var garbage = EnrolmentRequestDeserializer.read(Topics.ENROLMENTS.valueSerde().deserializer(),
                record("enrolments", 1, 8, "ada", "garbage".getBytes(StandardCharsets.UTF_8)), CLOCK);
        DeadLetter d = garbage.rejected();
        assertEquals("enrolments", d.topic());
        assertEquals("ada", d.key());
        assertArrayEquals("garbage".getBytes(StandardCharsets.UTF_8), d.value());
        assertTrue(d.error().contains("enrolments-1@8") && d.error().contains("not an enrolment request"), d.error());
        assertEquals(NOW, d.time());
        assertEquals("enrolments.dlq", Topics.deadLettersOf(d.topic()).name());

        var empty = EnrolmentRequestDeserializer.read(Topics.ENROLMENTS.valueSerde().deserializer(),
                record("enrolments", 0, 0, null, null), CLOCK);
        assertNull(empty.rejected().key());
        assertTrue(empty.rejected().error().contains("no value"), empty.rejected().error());
    }

    @Test
    void aGalleryRecordKeepsWhereItWasReadAndBadOnesBecomeDeadLetters() {
        GalleryEntry entry = new GalleryEntry("ada", "Ada", List.of(new byte[] {1}),
                Map.of("m", List.of(new Embedding("m", new float[] {1, 0}))), NOW);
        byte[] value = Topics.GALLERY.valueSerde().serializer().serialize("gallery", entry);
        GalleryRecord read = GalleryRecordDeserializer.read(record("gallery", 2, 11, "ada", value), CLOCK).value();
        assertEquals(2, read.partition());
        assertEquals(11, read.offset());
        assertEquals(GalleryRecord.of(entry), read, "equal to the same entry made in the job");
        GalleryRecord tombstone = GalleryRecordDeserializer.read(record("gallery", 2, 12, "ada", null), CLOCK).value();
        assertTrue(tombstone.isTombstone());

        DeadLetter noKey = GalleryRecordDeserializer.read(record("gallery", 0, 3, null, value), CLOCK).rejected();
        assertNull(noKey.key());
        assertArrayEquals(value, noKey.value());
        assertTrue(noKey.error().contains("gallery-0@3") && noKey.error().contains("no key"), noKey.error());

        DeadLetter garbage = GalleryRecordDeserializer.read(record("gallery", 0, 4, "bob",
                "garbage".getBytes(StandardCharsets.UTF_8)), CLOCK).rejected();
        assertEquals("bob", garbage.key());
        assertTrue(garbage.error().contains("not a gallery entry of bob"), garbage.error());

        DeadLetter wrongKey = GalleryRecordDeserializer.read(record("gallery", 0, 5, "bob", value), CLOCK).rejected();
        assertTrue(wrongKey.error().contains("holds the entry of ada"), wrongKey.error());
        assertEquals("gallery.dlq", Topics.deadLettersOf(wrongKey.topic()).name());
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, String key,
            byte[] value) {
        return new ConsumerRecord<>(topic, partition, offset, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value);
    }
}
