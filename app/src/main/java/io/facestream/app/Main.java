package io.facestream.app;

import io.facestream.app.cluster.ClusterCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code facestream} command line. */
@Command(name = "facestream",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Streaming face recognition: detect, align, embed, verify and identify faces.",
        subcommands = {
            SetupCommand.class,
            DetectCommand.class,
            CompareCommand.class,
            IdentifyCommand.class,
            BenchCommand.class,
            EvaluateCommand.class,
            PairsCommand.class,
            DemoCommand.class,
            GalleryCommand.class,
            RenderCommand.class,
            TrainCommand.class,
            GeneralPairsCommand.class,
            ModelsCommand.class,
            ClusterCommand.class,
            GroupCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine cl = HelpParagraphs.apply(new CommandLine(new Main()));
        cl.setExecutionExceptionHandler(new Errors());
        return cl;
    }

    /** Prints the project version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"facestream " + (v == null ? "(development build)" : v)};
        }
    }

    /** Turns exceptions that reach the top into one sentence instead of a stack trace. */
    static final class Errors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            cl.getErr().println("facestream: " + msg);
            if (Boolean.getBoolean("facestream.debug")) {
                ex.printStackTrace(cl.getErr());
            }
            return ex instanceof IllegalArgumentException ? 2 : 1;
        }
    }
}
