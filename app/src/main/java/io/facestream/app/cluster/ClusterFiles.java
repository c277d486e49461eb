package io.facestream.app.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The files a cluster runs: the Java runtime, the app's class path (Kafka nodes, the gallery service and the
 * ingestors), the job jar the Flink CLI submits, and the Flink runtime jars the JobManager, the TaskManagers and the
 * CLI run from. The job jar and the Flink runtime are built by the {@code job} module.
 *
 * @param appClasspath the class path of this JVM (the facestream jar, whose manifest lists its libraries)
 * @param jobJar the recognize job with everything it needs except Flink
 * @param flinkLib the Flink runtime jars, what a Flink distribution's {@code lib/} holds
 */
record ClusterFiles(Path java, String appClasspath, Path jobJar, Path flinkLib) {

    private static final String BUILD = "build it with: ./mvnw -q -DskipTests package -pl app -am";

    /** The files beside this checkout, or the given job jar and Flink folder (null: beside the checkout). */
    static ClusterFiles locate(Path jobJar, Path flinkLib) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path job = jobJar != null ? jobJar : checkout().resolve("job/target/facestream-job.jar");
        Path lib = flinkLib != null ? flinkLib : checkout().resolve("job/target/flink-lib");
        if (!Files.isRegularFile(job)) {
            throw new IllegalStateException("the recognize job jar " + job + " is missing; " + BUILD);
        }
        if (!Files.isRegularFile(lib.resolve("flink-runtime-" + org.apache.flink.runtime.util.EnvironmentInformation
                .getVersion() + ".jar"))) {
            throw new IllegalStateException("the Flink runtime jars are missing from " + lib + "; " + BUILD);
        }
        // Absolute, since every process runs in the cluster folder.
        String classpath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
        return new ClusterFiles(java, classpath, job.toAbsolutePath(), lib.toAbsolutePath());
    }

    /** Every jar of the Flink runtime, as one class path. */
    String flinkClasspath() {
        try (Stream<Path> jars = Files.list(flinkLib)) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString)
                    .collect(Collectors.joining(File.pathSeparator));
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the Flink runtime jars in " + flinkLib, e);
        }
    }

    /** The checkout this code was built in: app/target/facestream.jar or app/target/classes, three levels down. */
    private static Path checkout() {
        try {
            Path code = Path.of(ClusterFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().getParent().getParent();
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot tell where facestream was built from; give --job-jar and"
                    + " --flink-lib", e);
        }
    }
}
