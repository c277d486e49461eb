package io.facestream.core.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyTopicOfTheDesignIsThereOnce() {
        List<String> names = Topics.ALL.stream().map(Topic::name).toList();
        assertEquals(List.of("frames", "frames.dlq", "enrolments", "enrolments.dlq", "enrolment-results", "gallery",
                "gallery.dlq", "matches", "sightings", "unknowns", "hard-examples", "models"), names);
        assertEquals(names.size(), new HashSet<>(names).size());
    }

    @Test
    void galleryUnknownsAndModelsAndOnlyThoseAreCompacted() {
        Set<String> compacted = new HashSet<>();
        for (Topic<?, ?> t : Topics.ALL) {
            if (t.config(TopicConfig.CLEANUP_POLICY_CONFIG).equals(Optional.of(TopicConfig.CLEANUP_POLICY_COMPACT))) {
                compacted.add(t.name());
            }
        }
        assertEquals(Set.of("gallery", "unknowns", "models"), compacted);
    }

    @Test
    void framesAreShortLivedAndFitA1080pJpeg() {
        assertEquals(Optional.of("3600000"), Topics.FRAMES.config(TopicConfig.RETENTION_MS_CONFIG));
        assertEquals(Optional.of(Integer.toString(10 * 1024 * 1024)),
                Topics.FRAMES.config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG));
        int dlq = Integer.parseInt(Topics.FRAMES_DLQ.config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).orElseThrow());
        assertTrue(dlq > Topics.MAX_FRAME_BYTES, "a dead letter must hold a whole frame, max was " + dlq);
    }

    @Test
    void eachInputTopicHasADeadLetterTopicThatHoldsItsLargestRecord() {
        for (Topic<?, ?> input : List.of(Topics.FRAMES, Topics.ENROLMENTS, Topics.GALLERY)) {
            Topic<String, ?> dlq = Topics.deadLettersOf(input.name());
            assertEquals(input.name() + ".dlq", dlq.name());
            int in = Integer.parseInt(input.config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).orElseThrow());
            int out = Integer.parseInt(dlq.config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).orElseThrow());
            assertTrue(out > in, dlq.name() + " takes " + out + " bytes, " + input.name() + " " + in);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topics.deadLettersOf("matches"));
        assertTrue(e.getMessage().contains("\"matches\"") && e.getMessage().contains("gallery"), e.getMessage());
    }

    @Test
    void newTopicsCarryTheirConfigs() {
        List<NewTopic> all = Topics.newTopics(6, (short) 1);
        assertEquals(Topics.ALL.size(), all.size());
        NewTopic gallery = all.stream().filter(t -> t.name().equals("gallery")).findFirst().orElseThrow();
        assertEquals(6, gallery.numPartitions());
        assertEquals((short) 1, gallery.replicationFactor());
        assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, gallery.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topics.newTopics(0, (short) 1));
        assertTrue(e.getMessage().contains("partition") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void byNameFindsOrListsTheKnownNames() {
        assertEquals(Topics.MATCHES, Topics.byName("matches"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topics.byName("match"));
        assertTrue(e.getMessage().contains("\"match\"") && e.getMessage().contains("matches"), e.getMessage());
    }

    @Test
    void configsAreImmutable() {
        Map<String, String> configs = Topics.GALLERY.configs();
        assertThrows(UnsupportedOperationException.class, () -> configs.put("x", "y"));
    }
}
