package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.facestream.core.BoundingBox;
import io.facestream.core.Landmarks;
import io.facestream.core.event.DeadLetter;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.Frame;
import io.facestream.core.event.ModelRecord;
import io.facestream.recognize.track.Track;
import io.facestream.recognize.track.TrackerState;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Every type that crosses an operator boundary or lives in state is one Flink serialises field by field
 * (a POJO, not Kryo's generic fallback), and survives the round trip a network hop or a checkpoint makes.
 */
class FlinkTypesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void frameInputsOfBothKinds() throws IOException {
        FrameInput frame = FrameInput.of(new Frame("cam-1", 3, T0, 4, 2, new byte[] {1, 2, 3}));
        FrameInput rejected = FrameInput.rejected(new DeadLetter("frames", null, new byte[] {9}, "not a frame", T0));
        assertEquals(frame, roundTrip(FrameInput.class, frame));
        assertEquals(rejected, roundTrip(FrameInput.class, rejected));
    }

    @Test
    void analysedAndSequencedFrames() throws IOException {
        AnalyzedFrame f = new AnalyzedFrame("cam-1", 7, T0, T0.plusMillis(80), List.of(face(0), face(50)), false);
        assertEquals(f, roundTrip(AnalyzedFrame.class, f));
        SequencedFrame s = new SequencedFrame(AnalyzedFrame.deadLettered("cam-2", 8, T0, T0), true);
        assertEquals(s, roundTrip(SequencedFrame.class, s));
        assertEquals(new FrameMark(7, T0), roundTrip(FrameMark.class, new FrameMark(7, T0)));
    }

    @Test
    void trackerStateAndGalleryRecords() throws IOException {
        TrackerState state = new TrackerState(4, 12, List.of(new Track(1, new BoundingBox(0, 0, 10, 10),
                new float[] {0.6f, 0.8f}, 2, 12), new Track(3, new BoundingBox(5, 5, 20, 20), new float[] {1, 0}, 9, 11,
                1)));
        assertEquals(state, roundTrip(TrackerState.class, state));
        assertEquals(1, roundTrip(TrackerState.class, state).track(3).lineage());
        GalleryRecord tombstone = GalleryRecord.tombstone("ada");
        assertEquals(tombstone, roundTrip(GalleryRecord.class, tombstone));
        GalleryRecord entry = new GalleryRecord("ada", new byte[] {1, 2, 3});
        assertEquals(entry, roundTrip(GalleryRecord.class, entry));
        GalleryRecord read = roundTrip(GalleryRecord.class, entry.readAt(3, 41));
        assertEquals(3, read.partition(), "where a record was read travels with it");
        assertEquals(41, read.offset());
        EnrolmentRequest request = new EnrolmentRequest("r-1", "ada", "Ada", new byte[] {4});
        assertEquals(request, roundTrip(EnrolmentRequest.class, request));
        float[][] faces = {{0.6f, 0.8f}, {1, 0}};
        TypeInformation<float[][]> info = TypeInformation.of(float[][].class);
        assertInstanceOf(ObjectArrayTypeInfo.class, info, "the broadcast gallery's faces are serialised as " + info);
        TypeSerializer<float[][]> s = info.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(faces, out);
        assertArrayEquals(faces, s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
    }

    @Test
    void enrolInputsModelActivationsAndSwitchState() throws IOException {
        EnrolInput request = EnrolInput.of(new EnrolmentRequest("r-1", "ada", "Ada", new byte[] {4}));
        assertEquals(request, roundTrip(EnrolInput.class, request));
        EnrolInput readBack = EnrolInput.of(GalleryRecord.tombstone("ada"));
        assertEquals(readBack, roundTrip(EnrolInput.class, readBack));
        ModelRecord model = new ModelRecord("m-2", "mobilefacenet-192", new byte[] {7, 8, 9}, null,
                Map.of("threshold", 1.1));
        ModelActivation a = new ModelActivation(3, model);
        assertEquals(a, roundTrip(ModelActivation.class, a));
        ModelSwitchFunction.State state = new ModelSwitchFunction.State(2, "m-1", model,
                Map.of("ada", new ModelSwitchFunction.Coverage(2, Map.of("m-1", 2, "m-2", 1))));
        assertEquals(state, roundTrip(ModelSwitchFunction.State.class, state));
        AnalyzedFrame f = new AnalyzedFrame("cam-1", 7, T0, T0, List.of(face(0)), false, "m-2", 1.1);
        assertEquals(f, roundTrip(AnalyzedFrame.class, f));
    }

    private static FaceFeatures face(double x) {
        return new FaceFeatures(new BoundingBox(x, 10, x + 40, 60), Landmarks.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
                new float[] {0.6f, 0.8f});
    }

    @Test
    void inputRecordsOfTheGalleryAndEnrolmentSources() throws IOException {
        InputRecord<GalleryRecord> read = InputRecord.of(new GalleryRecord("ada", new byte[] {1}).readAt(0, 2));
        InputRecord<GalleryRecord> rejected = InputRecord.rejected(new DeadLetter("gallery", "bob", new byte[] {9},
                "not a gallery entry", T0));
        TypeInformation<InputRecord<GalleryRecord>> gallery = new GalleryRecordDeserializer().getProducedType();
        assertEquals(read, roundTrip(gallery, read));
        assertEquals(2, roundTrip(gallery, read).value().offset());
        assertEquals(rejected, roundTrip(gallery, rejected));
        InputRecord<EnrolmentRequest> request = InputRecord.of(new EnrolmentRequest("r-1", "ada", "Ada", new byte[] {4}));
        assertEquals(request, roundTrip(new EnrolmentRequestDeserializer().getProducedType(), request));
    }

    private static <T> T roundTrip(Class<T> type, T value) throws IOException {
        return roundTrip(TypeInformation.of(type), value);
    }

    private static <T> T roundTrip(TypeInformation<T> info, T value) throws IOException {
        Class<T> type = info.getTypeClass();
        assertInstanceOf(PojoTypeInfo.class, info, type + " is serialised by Flink as " + info);
        TypeSerializer<T> s = info.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        T back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(value, s.copy(value), "copy of " + value);
        return back;
    }
}
