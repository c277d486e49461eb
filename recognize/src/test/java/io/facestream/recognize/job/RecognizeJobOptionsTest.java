package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.group.GroupingOptions;
import io.facestream.recognize.image.Contrast;
import io.facestream.recognize.image.RgbImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        assertEquals(FaceModel.MOBILEFACENET, o.model());
        assertEquals(20, o.minFace());
        assertEquals("auto", o.device());
        assertNull(o.weightsDir());
        assertEquals(Duration.ofSeconds(2), o.reorderTimeout());
        RecognizeSettings s = o.settings();
        assertEquals(FaceModel.MOBILEFACENET, s.model());
        assertEquals(20, s.minFace());
        assertEquals(Duration.ofSeconds(2), s.reorderTimeout());
        assertEquals(List.of(), s.initialGallery());
        assertEquals(5, s.detectEvery());
        // micro-batches by device: one frame on a CPU, eight on a GPU unless the job is told cpu
        assertEquals(1, s.batchFramesOn(false));
        assertEquals(8, s.batchFramesOn(true));
        assertEquals(Duration.ofMillis(10), s.batchWait());
    }

    @Test
    void detectionScheduleAndMicroBatch() {
        RecognizeSettings s = RecognizeJobOptions.parse(new String[] {"--detect-every", "1", "--batch-frames", "4",
            "--batch-wait", "25"}).settings();
        assertEquals(1, s.detectEvery());
        assertEquals(4, s.batchFramesOn(false));
        assertEquals(4, s.batchFramesOn(true));
        assertEquals(Duration.ofMillis(25), s.batchWait());
        assertEquals(1, RecognizeJobOptions.parse(new String[] {"--device", "cpu"}).settings().batchFramesOn(true));
        String every = assertThrows(IllegalArgumentException.class,
                () -> RecognizeJobOptions.parse(new String[] {"--detect-every", "0"})).getMessage();
        assertTrue(every.contains("--detect-every") && every.contains("0"), every);
        String batch = assertThrows(IllegalArgumentException.class,
                () -> RecognizeJobOptions.parse(new String[] {"--batch-frames", "-2"})).getMessage();
        assertTrue(batch.contains("--batch-frames") && batch.contains("-2"), batch);
    }

    @Test
    void lowLightDetectionIsOffUnlessAskedForAndLooksAtTheEqualisedFrame() {
        RecognizeSettings plain = RecognizeJobOptions.parse(new String[0]).settings();
        RecognizeSettings low = RecognizeJobOptions.parse(new String[] {"--low-light"}).settings();
        assertFalse(plain.lowLight());
        assertTrue(low.lowLight());
        // a frame dark on the left: as it is for the plain job, equalised tile by tile for the low-light one
        byte[] px = new byte[64 * 32 * 3];
        for (int i = 0; i < 64 * 32; i++) {
            int x = i % 64;
            byte v = (byte) ((x < 32 ? 4 : 180) + (i * 7) % 12);
            px[3 * i] = v;
            px[3 * i + 1] = v;
            px[3 * i + 2] = v;
        }
        RgbImage frame = new RgbImage(64, 32, px);
        assertSame(frame, plain.detectorView(frame));
        RgbImage seen = low.detectorView(frame);
        assertEquals(Contrast.local(frame, RecognizeSettings.LOW_LIGHT_GRID, RecognizeSettings.LOW_LIGHT_CLIP).get(3, 5, 0),
                seen.get(3, 5, 0));
        assertTrue(seen.get(3, 5, 0) > frame.get(3, 5, 0) + 20, "the dark side is lifted: " + frame.get(3, 5, 0) + " -> "
                + seen.get(3, 5, 0));
        // the setting survives the copies the job makes of its settings
        assertTrue(low.withDetectEvery(1).withEmbedEvery(1).withGallery(List.of()).lowLight());
    }

    @Test
    void theDlibChipReachesTheOperatorsEngines() {
        RecognizeSettings plain = RecognizeJobOptions.parse(new String[0]).settings();
        assertEquals("five", plain.dlibChip());
        assertFalse(plain.engineOptions().dlibShape68());
        RecognizeSettings own = RecognizeJobOptions.parse(new String[] {"--model", "ensemble", "--dlib-chip", "SHAPE68"})
                .settings();
        assertEquals("shape68", own.dlibChip());
        // every subtask's engine (frames, enrolments, unknown grouping) opens with it, and the copies keep it
        assertTrue(own.engineOptions().dlibShape68());
        assertTrue(own.withMinFace(40).withLowLight(true).withGallery(java.util.List.of()).engineOptions().dlibShape68());
        assertEquals("five", own.withDlibChip("five").engineOptions().dlibChip());
        String bad = assertThrows(IllegalArgumentException.class,
                () -> RecognizeJobOptions.parse(new String[] {"--dlib-chip", "68"})).getMessage();
        assertTrue(bad.contains("--dlib-chip") && bad.contains("shape68"), bad);
    }

    @Test
    void everyOption() {
        RecognizeJobOptions o = RecognizeJobOptions.parse(new String[] {"--bootstrap", "b:9093", "--parallelism", "4",
            "--delivery", "at-least-once", "--checkpoint-interval", "PT5S", "--model", "dlib", "--min-face", "40",
            "--device", "CPU", "--weights", "/tmp/w", "--reorder-timeout", "500"});
        assertEquals("b:9093", o.bootstrap());
        assertEquals(4, o.parallelism());
        assertEquals(DeliveryGuarantee.AT_LEAST_ONCE, o.delivery());
        assertEquals(Duration.ofSeconds(5), o.checkpointInterval());
        assertEquals(FaceModel.DLIB, o.model());
        assertEquals(40, o.minFace());
        assertEquals("cpu", o.device());
        assertEquals(Path.of("/tmp/w"), o.weightsDir());
        assertEquals(Duration.ofMillis(500), o.reorderTimeout());
        assertEquals("/tmp/w", o.settings().weightsDir());
        assertEquals(FaceModel.ENSEMBLE, RecognizeJobOptions.parse(new String[] {"--model", "ensemble"}).model());
        assertEquals(Duration.ofMillis(250),
                RecognizeJobOptions.parse(new String[] {"--checkpoint-interval", "250"}).checkpointInterval());
    }

    @Test
    void hardExamplesAreOffUnlessAskedForAndTheirRatesAreOptions() {
        assertNull(RecognizeJobOptions.parse(new String[0]).settings().hardExamples());
        assertNull(RecognizeJobOptions.parse(new String[] {"--hard-every", "3"}).hardExamples(),
                "a rate alone does not switch mining on");
        assertEquals(HardExampleOptions.defaults(),
                RecognizeJobOptions.parse(new String[] {"--hard-examples"}).settings().hardExamples());
        HardExampleOptions h = RecognizeJobOptions.parse(new String[] {"--hard-examples", "--hard-every", "2",
            "--hard-near-band", "0.25", "--hard-max-per-track", "50"}).settings().hardExamples();
        assertEquals(new HardExampleOptions(2, true, 0.25, HardExampleOptions.defaults().galleryFraction(), 50), h);
        assertEquals(0, h.lostFrames(), "lost faces are not cut unless asked for");
        RecognizeSettings lost = RecognizeJobOptions.parse(new String[] {"--hard-examples", "--hard-lost", "12"})
                .settings();
        assertEquals(12, lost.hardExamples().lostFrames());
        assertEquals(0, lost.withGrouping(GroupingOptions.defaults()).lostFrames(),
                "grouped unknowns label their examples by group, which a lost face has none of");
        String every = assertThrows(IllegalArgumentException.class, () -> RecognizeJobOptions.parse(
                new String[] {"--hard-examples", "--hard-every", "0"})).getMessage();
        assertTrue(every.contains("every Nth face") && every.contains("0"), every);
        String band = assertThrows(IllegalArgumentException.class, () -> RecognizeJobOptions.parse(
                new String[] {"--hard-examples", "--hard-near-band", "wide"})).getMessage();
        assertTrue(band.contains("--hard-near-band") && band.contains("wide"), band);
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
        String model = assertThrows(IllegalArgumentException.class,
                () -> RecognizeJobOptions.parse(new String[] {"--model", "facenet"})).getMessage();
        assertTrue(model.contains("--model") && model.contains("facenet") && model.contains("[mobilefacenet, dlib, ensemble]"),
                model);
        String minFace = assertThrows(IllegalArgumentException.class,
                () -> RecognizeJobOptions.parse(new String[] {"--min-face", "8"})).getMessage();
        assertTrue(minFace.contains("--min-face") && minFace.contains("at least 12") && minFace.contains("8"), minFace);
        String notNumber = assertThrows(IllegalArgumentException.class,
                () -> RecognizeJobOptions.parse(new String[] {"--min-face", "big"})).getMessage();
        assertTrue(notNumber.contains("--min-face") && notNumber.contains("big"), notNumber);
        String device = assertThrows(IllegalArgumentException.class,
                () -> RecognizeJobOptions.parse(new String[] {"--device", "tpu"})).getMessage();
        assertTrue(device.contains("--device") && device.contains("tpu") && device.contains("[auto, cpu, gpu]"), device);
        String timeout = assertThrows(IllegalArgumentException.class,
                () -> RecognizeJobOptions.parse(new String[] {"--reorder-timeout", "0"})).getMessage();
        assertTrue(timeout.contains("--reorder-timeout") && timeout.contains("at least 1 ms"), timeout);
    }
}
