package io.facestream.recognize.job;

import io.facestream.core.event.HardExample;
import io.facestream.core.event.MatchEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A face no gallery entry matched, on its way from matching to the grouping of unknown tracks: its event (to be
 * given the group), its embedding, its loose cut (for the second network and for naming), and the hard examples
 * mined from it (to be labelled by the group).
 *
 * @param loose null when the job was started without grouping's cuts (it is then put in a group of its own)
 */
public record UnknownFace(MatchEvent event, float[] embedding, LooseFace loose, List<HardExample> examples) {

    public UnknownFace {
        if (event == null || embedding == null || embedding.length == 0) {
            throw new IllegalArgumentException("an unknown face needs its event and its embedding");
        }
        if (event.known()) {
            throw new IllegalArgumentException("event " + event.eventId() + " matched " + event.identityId()
                    + ": not an unknown face");
        }
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    /** The label of the face's track, as the hard-example miner gives it. */
    public String trackLabel() {
        return HardExampleMiner.trackLabel(event.cameraId(), event.trackId());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownFace f && event.equals(f.event) && Arrays.equals(embedding, f.embedding)
                && java.util.Objects.equals(loose, f.loose) && examples.equals(f.examples);
    }

    @Override
    public int hashCode() {
        return event.hashCode() * 31 + Arrays.hashCode(embedding);
    }

    @Override
    public String toString() {
        return "UnknownFace[" + event.eventId() + ", track " + event.trackId() + ", " + examples.size() + " examples]";
    }

    /** Collects a face's hard examples while its frame is mined. */
    static final class Builder {
        private final MatchEvent event;
        private final float[] embedding;
        private final LooseFace loose;
        private final List<HardExample> examples = new ArrayList<>();

        Builder(MatchEvent event, float[] embedding, LooseFace loose) {
            this.event = event;
            this.embedding = embedding;
            this.loose = loose;
        }

        void example(HardExample e) {
            examples.add(e);
        }

        UnknownFace build() {
            return new UnknownFace(event, embedding, loose, examples);
        }
    }
}
