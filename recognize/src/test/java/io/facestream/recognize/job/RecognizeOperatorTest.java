package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.Frame;
import io.facestream.core.event.ModelRecord;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.image.RgbImage;
import io.facestream.recognize.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Micro-batching in the recognize operator: frames wait for their batch at most the batch wait, leave in order, are
 * flushed before a checkpoint barrier and at the end of the input, and get the same faces and embeddings as when each
 * frame is processed alone.
 */
class RecognizeOperatorTest {

    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    static Frame frame(long sequence, byte[] jpeg) {
        return new Frame("cam", sequence, T0.plusMillis(40 * sequence), 1, 1, jpeg);
    }

    static TwoInputStreamOperatorTestHarness<Frame, ModelActivation, AnalyzedFrame> harness(RecognizeSettings settings) throws Exception {
        TwoInputStreamOperatorTestHarness<Frame, ModelActivation, AnalyzedFrame> h =
                new TwoInputStreamOperatorTestHarness<>(new RecognizeOperator(settings));
        h.setProcessingTime(1_000);
        h.open();
        return h;
    }

    @Test
    void framesWaitForTheirBatchLeaveInOrderAndMatchFramesProcessedAlone() throws Exception {
        byte[] group = Files.readAllBytes(SharedData.require("data/stills/facenet-pytorch_multiface.jpg"));
        byte[] garbage = "no picture".getBytes();
        byte[] cutShort = Arrays.copyOf(group, group.length / 2);
        List<Frame> frames = List.of(frame(0, group), frame(1, group), frame(2, garbage), frame(3, cutShort),
                frame(4, group), frame(5, group));
        RecognizeSettings base = RecognizeSettings.defaults(FaceModel.MOBILEFACENET).withDetectEvery(1);

        List<AnalyzedFrame> alone;
        try (var h = harness(base.withBatch(1, Duration.ZERO))) {
            for (Frame f : frames) {
                h.processElement1(new StreamRecord<>(f));
            }
            alone = h.extractOutputValues();
        }
        assertEquals(6, alone.size(), "one output per frame as it comes");

        try (var h = harness(base.withBatch(3, Duration.ofMillis(50)))) {
            h.processElement1(new StreamRecord<>(frames.get(0)));
            h.processElement1(new StreamRecord<>(frames.get(1)));
            assertEquals(0, h.extractOutputValues().size(), "two frames wait for a third");
            h.setProcessingTime(1_049);
            assertEquals(0, h.extractOutputValues().size(), "not yet due");
            h.setProcessingTime(1_050);
            assertEquals(2, h.extractOutputValues().size(), "the wait is over: the two leave as a batch");
            for (int i = 2; i < 5; i++) {
                h.processElement1(new StreamRecord<>(frames.get(i)));
            }
            assertEquals(5, h.extractOutputValues().size(), "a full batch leaves at once");
            h.processElement1(new StreamRecord<>(frames.get(5)));
            h.prepareSnapshotPreBarrier(1);
            List<AnalyzedFrame> batched = h.extractOutputValues();
            assertEquals(6, batched.size(), "nothing is left in the buffer at a checkpoint barrier");
            h.setProcessingTime(2_000); // the timer of that last batch finds nothing to do
            assertEquals(6, h.extractOutputValues().size());

            Queue<StreamRecord<DeadLetter>> dead = h.getSideOutput(RecognizeOperator.DEAD_LETTERS);
            assertEquals(2, dead.size());
            assertTrue(dead.peek().getValue().error().contains("cam #2 could not be decoded"), dead.peek().getValue().error());
            dead.poll();
            assertTrue(dead.peek().getValue().error().contains("cam #3 could not be decoded as an image: frame cam #3: truncated image"),
                    dead.peek().getValue().error());
            for (int i = 0; i < 6; i++) {
                AnalyzedFrame a = alone.get(i);
                AnalyzedFrame b = batched.get(i);
                assertEquals(i, b.sequence(), "frames leave in the order they came");
                assertEquals(a.deadLettered(), b.deadLettered());
                assertEquals(a.faces().size(), b.faces().size());
                for (int k = 0; k < a.faces().size(); k++) {
                    assertEquals(a.faces().get(k).box(), b.faces().get(k).box());
                    assertArrayEquals(a.faces().get(k).embedding(), b.faces().get(k).embedding(), 1e-4f,
                            "frame " + i + " face " + k + ": batched embedding differs from the one embedded alone");
                }
            }
            assertTrue(batched.get(0).faces().size() >= 3, "the group photo has faces to batch");
        }
    }

    @Test
    void anActivatedModelEmbedsTheFramesAfterItAndSurvivesARestore(@TempDir Path dir) throws Exception {
        byte[] group = Files.readAllBytes(SharedData.require("data/stills/facenet-pytorch_multiface.jpg"));
        ModelRecord copy = PublishedModels.publicWeightsAs("mobilefacenet-192-copy", dir);
        RecognizeSettings settings = RecognizeSettings.defaults(FaceModel.MOBILEFACENET).withDetectEvery(1)
                .withBatch(2, Duration.ofSeconds(10));
        OperatorSubtaskState snapshot;
        List<AnalyzedFrame> out;
        try (var h = harness(settings)) {
            h.processElement1(new StreamRecord<>(frame(0, group)));
            h.processElement2(new StreamRecord<>(new ModelActivation(1, copy)));
            h.processElement1(new StreamRecord<>(frame(1, group)));
            h.processElement1(new StreamRecord<>(frame(2, group)));
            h.processElement2(new StreamRecord<>(new ModelActivation(1, copy))); // a repeat changes nothing
            out = h.extractOutputValues();
            snapshot = h.snapshot(1, 1);
        }
        assertEquals(3, out.size());
        assertNull(out.get(0).modelId(), "frame 0 came before the activation: the job's own model");
        assertEquals("mobilefacenet-192-copy", out.get(1).modelId());
        assertEquals(1.1, out.get(1).threshold(), "the published model's own threshold");
        assertEquals("mobilefacenet-192-copy", out.get(2).modelId());
        // the same weights: the same embeddings under the new id
        assertArrayEquals(out.get(0).faces().get(0).embedding(), out.get(1).faces().get(0).embedding(), 1e-5f);

        try (var h = new TwoInputStreamOperatorTestHarness<Frame, ModelActivation, AnalyzedFrame>(
                new RecognizeOperator(settings.withBatch(1, Duration.ZERO)))) {
            h.initializeState(snapshot);
            h.open();
            h.processElement1(new StreamRecord<>(frame(3, group)));
            assertEquals("mobilefacenet-192-copy", h.extractOutputValues().get(0).modelId(),
                    "a restored subtask goes on with the activated model");
        }
    }

    @Test
    void followedFacesKeepTheirEmbeddingForEmbedEveryFramesAndOnlyFreshFacesCarryCrops() throws Exception {
        byte[] group = Files.readAllBytes(SharedData.require("data/stills/facenet-pytorch_multiface.jpg"));
        RecognizeSettings settings = RecognizeSettings.defaults(FaceModel.MOBILEFACENET).withDetectEvery(1)
                .withBatch(1, Duration.ZERO).withHardExamples(HardExampleOptions.defaults());
        List<AnalyzedFrame> reused;
        try (var h = harness(settings.withEmbedEvery(3))) {
            for (int i = 0; i < 4; i++) {
                h.processElement1(new StreamRecord<>(frame(i, group)));
            }
            reused = h.extractOutputValues();
        }
        List<AnalyzedFrame> every;
        try (var h = harness(settings.withEmbedEvery(1))) {
            for (int i = 0; i < 4; i++) {
                h.processElement1(new StreamRecord<>(frame(i, group)));
            }
            every = h.extractOutputValues();
        }
        int faces = reused.get(0).faces().size();
        assertTrue(faces >= 3, "the group photo has several faces");
        for (int i = 0; i < 4; i++) {
            assertEquals(faces, reused.get(i).faces().size());
            boolean fresh = i % 3 == 0; // frames 0 and 3: the embeddings of frame 0 are 3 frames old at frame 3
            for (int k = 0; k < faces; k++) {
                FaceFeatures r = reused.get(i).faces().get(k);
                FaceFeatures e = every.get(i).faces().get(k);
                assertEquals(e.box(), r.box());
                // (the harness hands out copies of the outputs, so the crops tell a reused embedding from a fresh one)
                if (fresh) {
                    assertTrue(r.crop() != null, "frame " + i + " face " + k + " was embedded: it has its crop");
                } else {
                    assertArrayEquals(reused.get(0).faces().get(k).embedding(), r.embedding(), 0f,
                            "frame " + i + " face " + k + " takes frame 0's embedding");
                    assertNull(r.crop(), "a reused embedding belongs to frame 0's crop, not this one's");
                }
                assertTrue(e.crop() != null, "with --embed-every 1 every face is embedded");
                // the same picture: a reused embedding is the one this frame would have had
                assertArrayEquals(e.embedding(), r.embedding(), 1e-5f);
            }
        }
    }

    @Test
    void aLowLightJobDetectsOnTheEqualisedFrameAndCutsItsCropsFromTheFrameAsItIs() throws Exception {
        RgbImage photo = RgbImage.read(SharedData.require("data/stills/facenet-pytorch_multiface.jpg"));
        // the same group photo with its light nearly gone: levels 0..255 squeezed into 0..15
        java.awt.image.BufferedImage dim = new java.awt.image.BufferedImage(photo.width(), photo.height(),
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < photo.height(); y++) {
            for (int x = 0; x < photo.width(); x++) {
                dim.setRGB(x, y, (photo.get(x, y, 0) / 16) << 16 | (photo.get(x, y, 1) / 16) << 8 | photo.get(x, y, 2) / 16);
            }
        }
        // lossless, so that the levels stay as squeezed (the decoder takes PNG frames as it takes JPEG ones)
        java.io.ByteArrayOutputStream encoded = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(dim, "png", encoded);
        RecognizeSettings settings = RecognizeSettings.defaults(FaceModel.MOBILEFACENET).withDetectEvery(1)
                .withBatch(1, Duration.ZERO).withEmbedEvery(1).withHardExamples(HardExampleOptions.defaults());
        List<FaceFeatures> plain;
        try (var h = harness(settings)) {
            h.processElement1(new StreamRecord<>(frame(0, encoded.toByteArray())));
            plain = h.extractOutputValues().get(0).faces();
        }
        List<FaceFeatures> low;
        try (var h = harness(settings.withLowLight(true))) {
            h.processElement1(new StreamRecord<>(frame(0, encoded.toByteArray())));
            low = h.extractOutputValues().get(0).faces();
        }
        // measured: 0 as it is, 6 with --low-light
        System.out.printf("faces in the dimmed group photo: %d as it is, %d with --low-light%n", plain.size(), low.size());
        assertTrue(low.size() >= plain.size() + 3, low.size() + " faces with --low-light against " + plain.size());
        for (FaceFeatures f : low) {
            // the crop is the dim frame's: nothing in it is brighter than the squeezed levels (plus resampling)
            RgbImage crop = RgbImage.decode(f.crop(), "crop");
            int brightest = 0;
            for (byte b : crop.pixels()) {
                brightest = Math.max(brightest, b & 0xff);
            }
            assertTrue(brightest <= 20, "a crop cut from the equalised view would reach 255, this one reaches " + brightest);
        }
    }

    @Test
    void theEndOfTheInputFlushesTheBuffer() throws Exception {
        byte[] garbage = "no picture".getBytes();
        try (var h = harness(RecognizeSettings.defaults(FaceModel.MOBILEFACENET).withBatch(8, Duration.ofSeconds(10)))) {
            h.processElement1(new StreamRecord<>(frame(0, garbage)));
            assertEquals(0, h.extractOutputValues().size());
            h.endInput1();
            List<AnalyzedFrame> out = h.extractOutputValues();
            assertEquals(1, out.size());
            assertTrue(out.get(0).deadLettered());
        }
    }
}
