package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/** Parsing of the recognize job's command line. */
class RecognizeJobOptionsTest {

    @Test
    void defaults() {
        RecognizeJobOptions o = RecognizeJobOptions.parse(new String[0]);
        assertEquals("localhost:9092", o.bootstrap());
        assertEquals(2, o.parallelism());
        assertEquals(DeliveryGuarantee.EXACTLY_ONCE, o.delivery());
        assertEquals(Duration.ofSeconds(1), o.checkpointInterval());
    }

    @Test
    void everyOption() {
        RecognizeJobOptions o = RecognizeJobOptions.parse(new String[] {"--bootstrap", "b:9093", "--parallelism", "4",
            "--delivery", "at-least-once", "--checkpoint-interval", "PT5S"});
        assertEquals("b:9093", o.bootstrap());
        assertEquals(4, o.parallelism());
        assertEquals(DeliveryGuarantee.AT_LEAST_ONCE, o.delivery());
        assertEquals(Duration.ofSeconds(5), o.checkpointInterval());
        assertEquals(Duration.ofMillis(250),
                RecognizeJobOptions.parse(new String[] {"--checkpoint-interval", "250"}).checkpointInterval());
    }

    @Test
    void badValuesAreNamed() {
        String delivery = assertThrows(IllegalArgumentException.class,
                () -> RecognizeJobOptions.parse(new String[] {"--delivery", "maybe"})).getMessage();
        assertTrue(delivery.contains("--delivery") && delivery.contains("maybe"), delivery);
        String parallelism = assertThrows(IllegalArgumentException.class,
                () -> RecognizeJobOptions.parse(new String[] {"--parallelism", "0"})).getMessage();
        assertTrue(parallelism.contains("--parallelism") && parallelism.contains("0"), parallelism);
        String interval = assertThrows(IllegalArgumentException.class,
                () -> RecognizeJobOptions.parse(new String[] {"--checkpoint-interval", "soon"})).getMessage();
        assertTrue(interval.contains("--checkpoint-interval") && interval.contains("soon"), interval);
    }
}
