package io.facestream.recognize.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facestream.core.Embedding;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.ModelRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Frames switch to a published model only once every gallery identity has its embeddings. */
class ModelSwitchFunctionTest {

    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    static ModelRecord model(String id) {
        return new ModelRecord(id, "base", new byte[] {1}, null, Map.of());
    }

    /** An entry of {@code crops} crops with that many embeddings of each model named. */
    static GalleryRecord entry(String identity, int crops, String... models) {
        Map<String, List<Embedding>> embeddings = new LinkedHashMap<>();
        for (String m : models) {
            embeddings.put(m, java.util.Collections.nCopies(crops, new Embedding(m, new float[] {1, 0})));
        }
        List<byte[]> pngs = java.util.stream.IntStream.range(0, crops).mapToObj(i -> new byte[] {(byte) i}).toList();
        return GalleryRecord.of(new GalleryEntry(identity, identity, pngs, embeddings, T0));
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, ModelRecord, GalleryRecord, ModelActivation> harness()
            throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new ModelSwitchFunction("base")),
                m -> ModelSwitchFunction.KEY, g -> ModelSwitchFunction.KEY, Types.STRING);
        h.open();
        return h;
    }

    @Test
    void aModelWaitsForTheGalleryAndANewerOneReplacesIt() throws Exception {
        try (var h = harness()) {
            h.processElement2(entry("ada", 2, "base"), 0);
            h.processElement2(entry("bob", 1, "base"), 0);
            h.processElement1(model("m1"), 0);
            assertEquals(List.of(), h.extractOutputValues(), "nobody has m1's embeddings yet");
            h.processElement2(entry("ada", 2, "base", "m1"), 0);
            assertEquals(List.of(), h.extractOutputValues(), "bob has none");
            h.processElement1(model("m2"), 0);
            h.processElement2(entry("bob", 1, "base", "m1"), 0);
            assertEquals(List.of(), h.extractOutputValues(), "m2 replaced m1 as the model that waits");
            h.processElement2(entry("ada", 2, "base", "m1", "m2"), 0);
            h.processElement2(GalleryRecord.tombstone("bob"), 0);
            assertEquals(List.of(new ModelActivation(1, model("m2"))), h.extractOutputValues(),
                    "bob was deleted: everyone left has m2");
            h.processElement1(model("m2"), 0);
            assertEquals(1, h.extractOutputValues().size(), "the active model again is no news");
        }
    }

    @Test
    void anEntryWithSomeCropsNotYetEmbeddedHoldsTheSwitchBack() throws Exception {
        try (var h = harness()) {
            GalleryEntry partial = new GalleryEntry("ada", "Ada", List.of(new byte[] {1}, new byte[] {2}),
                    Map.of("base", List.of(new Embedding("base", new float[] {1, 0}), new Embedding("base", new float[] {0, 1})),
                            "m1", List.of(new Embedding("m1", new float[] {1, 0}))), T0);
            h.processElement2(GalleryRecord.of(partial), 0);
            h.processElement1(model("m1"), 0);
            assertEquals(List.of(), h.extractOutputValues(), "one of ada's two crops has no m1 embedding");
            h.processElement2(entry("ada", 2, "base", "m1"), 0);
            assertEquals(List.of(new ModelActivation(1, model("m1"))), h.extractOutputValues());
            h.processElement1(model("m3"), 0);
            h.processElement2(entry("ada", 2, "base", "m1", "m3"), 0);
            assertEquals(2, h.extractOutputValues().size());
            assertEquals(2, h.extractOutputValues().get(1).number(), "activations are numbered in order");
        }
    }
}
