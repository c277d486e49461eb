package io.facestream.recognize.job;

import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.ModelRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when frames switch to a newly published model: once every identity of the {@code gallery} topic has
 * that model's embedding of each of its crops (the enrol step writes them when the model is published), so that no
 * enrolled person goes unrecognised for want of an embedding. Until then frames keep the current model. A model
 * published while another waits replaces it. Runs as one instance (both inputs keyed by one constant); its state
 * survives restarts, and each activation it sends is numbered.
 */
public final class ModelSwitchFunction extends KeyedCoProcessFunction<String, ModelRecord, GalleryRecord, ModelActivation> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelSwitchFunction.class);

    /** The one key both inputs are keyed by. */
    public static final String KEY = "models";

    /** What the switch remembers. */
    public record State(long activations, String active, ModelRecord waiting, Map<String, Coverage> gallery) {
        public State {
            gallery = new HashMap<>(gallery);
        }
    }

    /** An identity's crops and, per model, how many of them it has embeddings for. */
    public record Coverage(int crops, Map<String, Integer> embedded) {
        public Coverage {
            embedded = new HashMap<>(embedded);
        }

        boolean complete(String modelId) {
            return embedded.getOrDefault(modelId, 0) >= crops;
        }
    }

    private final String initialModel;
    private transient ValueState<State> state;

    /** A switch whose frames start with {@code initialModel} (the job's own model id). */
    public ModelSwitchFunction(String initialModel) {
        this.initialModel = initialModel;
    }

    @Override
    public void open(OpenContext context) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("model-switch", TypeInformation.of(State.class)));
    }

    @Override
    public void processElement1(ModelRecord model, Context ctx, Collector<ModelActivation> out) throws Exception {
        State s = current();
        if (model.modelId().equals(s.active())) {
            return;
        }
        LOG.info("Model {} published; frames switch to it once the gallery is embedded with it", model.modelId());
        state.update(decide(new State(s.activations(), s.active(), model, s.gallery()), out));
    }

    @Override
    public void processElement2(GalleryRecord record, Context ctx, Collector<ModelActivation> out) throws Exception {
        State s = current();
        Map<String, Coverage> gallery = new HashMap<>(s.gallery());
        if (record.isTombstone()) {
            gallery.remove(record.identityId());
        } else {
            try {
                GalleryEntry entry = record.decode();
                Map<String, Integer> embedded = new HashMap<>();
                entry.embeddings().forEach((model, list) -> embedded.put(model, list.size()));
                gallery.put(record.identityId(), new Coverage(entry.crops().size(), embedded));
            } catch (RuntimeException e) {
                LOG.warn("Ignored the gallery record of {}: {}", record.identityId(), e.getMessage());
                return;
            }
        }
        state.update(decide(new State(s.activations(), s.active(), s.waiting(), gallery), out));
    }

    private State current() throws Exception {
        State s = state.value();
        return s != null ? s : new State(0, initialModel, null, Map.of());
    }

    /** Activates the waiting model when every identity has it. */
    static State decide(State s, Collector<ModelActivation> out) {
        ModelRecord waiting = s.waiting();
        if (waiting == null || !s.gallery().values().stream().allMatch(c -> c.complete(waiting.modelId()))) {
            return s;
        }
        long number = s.activations() + 1;
        LOG.info("Frames switch to model {} (activation {}): all {} gallery identities have its embeddings",
                waiting.modelId(), number, s.gallery().size());
        out.collect(new ModelActivation(number, waiting));
        return new State(number, waiting.modelId(), null, s.gallery());
    }
}
