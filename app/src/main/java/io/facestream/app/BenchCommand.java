package io.facestream.app;

import io.facestream.app.cluster.FaultsBenchCommand;
import picocli.CommandLine.Command;

/** Benchmarks that print figures measured on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that measure and print figures on this machine.",
        subcommands = {EngineBenchCommand.class, SpreadBenchCommand.class, StreamBenchCommand.class,
            KeyframeBenchCommand.class, FaultsBenchCommand.class, ClusterBenchCommand.class, IndexBenchCommand.class,
            UnknownsBenchCommand.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
