package io.facestream.app;

import ai.djl.Device;
import io.facestream.core.event.ModelRecord;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.embed.PublishedModels;
import io.facestream.recognize.embed.SavedModel;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.embed.WeightMix;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.job.ModelFolders;
import io.facestream.recognize.weights.WeightStore;
import io.facestream.train.model.ModelWriter;
import io.facestream.train.stream.ModelsTopic;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code models} topic from the command line: publish a saved model, list the published ones. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Publish a saved model (a folder from `train`) on the models topic, where the recognize job takes"
            + " it up live, or list what is published.",
        subcommands = {ModelsCommand.Publish.class, ModelsCommand.ListModels.class, ModelsCommand.Fetch.class,
            ModelsCommand.Mix.class})
final class ModelsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publish the model saved in DIR (model.json + weights.params) on the models topic.")
    static final class Publish implements Callable<Integer> {

        @Parameters(paramLabel = "DIR", description = "A saved model folder, e.g. OUT/best of `facestream train`.")
        Path dir;

        @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "The Kafka cluster.")
        String bootstrap;

        @Override
        public Integer call() throws Exception {
            if (!SavedModel.isSavedModel(dir)) {
                throw new IllegalArgumentException(dir + " is not a saved model folder (no " + SavedModel.RECORD
                        + "); give the best/ folder that `facestream train` wrote");
            }
            ModelRecord record = ModelsTopic.publish(bootstrap, dir);
            System.out.printf(Locale.ROOT, "models: published %s (parent %s, %.1f MB of weights%s) to %s%n",
                    record.modelId(), record.parentId(), record.weights().length / 1e6,
                    record.metrics().containsKey(ModelFolders.THRESHOLD)
                            ? ", threshold " + record.metrics().get(ModelFolders.THRESHOLD) : "", bootstrap);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the models published on the topic.")
    static final class ListModels implements Callable<Integer> {

        @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "The Kafka cluster.")
        String bootstrap;

        @Override
        public Integer call() {
            Map<String, ModelRecord> models = ModelsTopic.published(bootstrap);
            if (models.isEmpty()) {
                System.out.println("models: none published on " + Topics.MODELS.name());
            }
            models.values().forEach(m -> System.out.printf(Locale.ROOT, "%s  parent %s  %.1f MB  %s%n", m.modelId(),
                    m.parentId(), m.weights() == null ? 0 : m.weights().length / 1e6, m.metrics()));
            return 0;
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Copy a published model from the topic to this machine, where every face command opens it.",
                "It lands among this machine's published models; --model ID then opens it."})
    static final class Fetch implements Callable<Integer> {

        @Parameters(paramLabel = "ID", description = "The model id, as `models list` shows it.")
        String id;

        @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "The Kafka cluster.")
        String bootstrap;

        @Override
        public Integer call() throws Exception {
            Map<String, ModelRecord> models = ModelsTopic.published(bootstrap);
            ModelRecord m = models.get(id);
            if (m == null) {
                throw new IllegalArgumentException("no model " + id + " on " + Topics.MODELS.name() + " of " + bootstrap
                        + "; published: " + models.keySet());
            }
            Path dir = ModelFolders.materialise(m, PublishedModels.root());
            System.out.println("models: " + id + " in " + dir + " (open it with --model " + id + ")");
            return 0;
        }
    }

    @Command(name = "mix", mixinStandardHelpOptions = true,
            description = {"Save a weight-space mix of a fine-tuned MobileFaceNet and the model it started from.",
                "The mix's parameters are (1 - ALPHA) * START + ALPHA * TUNED, for a TUNED model trained from START",
                "(WiSE-FT, Wortsman et al. 2022). The mix keeps much of what fine-tuning learnt and much of what the",
                "start knew; evaluate it like any saved model."})
    static final class Mix implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "START", description = "mobilefacenet, or a saved or published model.")
        String start;

        @Parameters(index = "1", paramLabel = "TUNED", description = "A saved or published model trained from START.")
        String tuned;

        @Option(names = "--alpha", required = true, paramLabel = "A", description = "Weight of TUNED, in [0, 1].")
        double alpha;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to save the mix in.")
        Path out;

        @Option(names = "--threshold", paramLabel = "D", description = {"The mix's verification threshold (default: the",
            "same mix of the two models' thresholds, a first guess; measure it with evaluate on your own pairs)."})
        Double threshold;

        @Override
        public Integer call() throws Exception {
            FaceModel from = FaceModel.parse(start);
            FaceModel to = FaceModel.parse(tuned);
            if (from.base() != FaceModel.MOBILEFACENET || to.base() != FaceModel.MOBILEFACENET || !to.isTrained()) {
                throw new IllegalArgumentException("mix takes MobileFaceNet models: START mobilefacenet or a saved one,"
                        + " TUNED a saved one trained from it");
            }
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("--alpha must be in [0, 1], was " + alpha);
            }
            double t = threshold != null ? threshold : (1 - alpha) * from.threshold() + alpha * to.threshold();
            try (TrainableNetwork a = TrainableNetwork.open(from.directory(), WeightStore.defaultStore(), Device.cpu());
                    TrainableNetwork b = TrainableNetwork.open(to.directory(), WeightStore.defaultStore(), Device.cpu());
                    WeightMix.Snapshot sa = WeightMix.snapshot(a); WeightMix.Snapshot sb = WeightMix.snapshot(b)) {
                WeightMix.apply(b, sa, sb, alpha);
                Map<String, Object> how = new LinkedHashMap<>();
                how.put("mix_alpha", alpha);
                how.put("mix_start", a.loadedId());
                how.put("mix_tuned", b.loadedId());
                io.facestream.train.model.ModelRecord r = ModelWriter.save(b, new io.facestream.train.model.ModelRecord(
                        null, a.loadedId(), b.architecture(), t, 0, 0, null, null, null, null,
                        String.format(Locale.ROOT, "weight mix %.2f of %s into %s", alpha, b.loadedId(), a.loadedId()),
                        how, Instant.now().toString()), out);
                System.out.printf(Locale.ROOT, "models: %s = %.2f x %s + %.2f x %s in %s (threshold %.4f)%n", r.id(),
                        1 - alpha, a.loadedId(), alpha, b.loadedId(), out, t);
            }
            return 0;
        }
    }
}
