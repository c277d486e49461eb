package io.facestream.app;

import io.facestream.core.event.ModelRecord;
import io.facestream.core.topic.Topics;
import io.facestream.recognize.embed.PublishedModels;
import io.facestream.recognize.embed.SavedModel;
import io.facestream.recognize.job.ModelFolders;
import io.facestream.train.stream.ModelsTopic;
import java.nio.file.Path;
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
        subcommands = {ModelsCommand.Publish.class, ModelsCommand.ListModels.class, ModelsCommand.Fetch.class})
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
            description = {"Copy a published model from the topic into this machine's published models, where every face",
                "command opens it by its id (--model ID)."})
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
}
