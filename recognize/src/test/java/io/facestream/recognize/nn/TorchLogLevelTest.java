package io.facestream.recognize.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchLogLevelTest {

    @Test
    void levelsAreReadAsPyTorchReadsThemWithErrorWhenUnsetOrUnreadable() {
        assertEquals(2, TorchLogLevel.parse(null));
        assertEquals(2, TorchLogLevel.parse(" "));
        assertEquals(0, TorchLogLevel.parse("info"));
        assertEquals(1, TorchLogLevel.parse("WARNING"));
        assertEquals(3, TorchLogLevel.parse(" Fatal "));
        assertEquals(1, TorchLogLevel.parse("1"));
        assertEquals(2, TorchLogLevel.parse("loud"));
        assertEquals(2, TorchLogLevel.parse("7"));
    }

    @Test
    void theLibraryIsFoundByItsFileNameInTheMapsFile(@TempDir Path dir) throws IOException {
        Path maps = dir.resolve("maps");
        Files.write(maps, List.of(
                "7f0000000000-7f0000001000 r--p 00000000 08:01 1 /opt/lib/libc10_cuda.so",
                "7f0000001000-7f0000002000 r-xp 00001000 08:01 2 /home/u/.djl.ai/pytorch/2.7.1/libc10.so",
                "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]"));
        assertEquals(Optional.of(Path.of("/home/u/.djl.ai/pytorch/2.7.1/libc10.so")), TorchLogLevel.loadedLibrary(maps, "libc10.so"));
        assertEquals(Optional.empty(), TorchLogLevel.loadedLibrary(maps, "libtorch.so"));
        assertEquals(Optional.empty(), TorchLogLevel.loadedLibrary(dir.resolve("absent"), "libc10.so"));
    }

    @Test
    void inThisProcessTheLevelIsTheEnvironmentsOnceApplied() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.zeros(new Shape(1));
        }
        TorchLogLevel.apply();
        assertEquals(TorchLogLevel.parse(System.getenv(TorchLogLevel.VARIABLE)), TorchLogLevel.current());
    }

    /**
     * libtorch's own warnings reach a fresh JVM's stderr until the level is applied: the probe sets an array's values
     * (a deprecation note on every machine) and runs one small image through a convolution (one NNPACK warning per
     * call on CPUs where NNPACK cannot start, this one among them).
     */
    @Test
    void libtorchsWarningsStopOnceTheLevelIsApplied() throws Exception {
        String withoutLevel = probe(false);
        assertTrue(withoutLevel.contains("[W"), "the probe should provoke a libtorch warning; stderr was:\n" + withoutLevel);
        String withLevel = probe(true);
        assertFalse(withLevel.contains("[W"), "stderr was:\n" + withLevel);
        assertTrue(withLevel.contains("probe done"), withLevel);
    }

    private static String probe(boolean apply) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", classPath, "-Dai.djl.offline=true",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), Probe.class.getName(), Boolean.toString(apply));
        pb.environment().remove(TorchLogLevel.VARIABLE);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text;
    }

    /** A fresh JVM that runs one convolution over a batch of 16, with or without the level applied first. */
    public static final class Probe {
        public static void main(String[] args) {
            try (NDManager m = NDManager.newBaseManager()) {
                m.zeros(new Shape(1));
                if (Boolean.parseBoolean(args[0])) {
                    TorchLogLevel.apply();
                }
                // Setting an array's values from Java passes a guard libtorch calls deprecated: one warning per
                // process, on every machine.
                m.zeros(new Shape(4)).set(new float[] {1, 2, 3, 4});
                // A small single image, as MTCNN's P-Net sees its coarsest pyramid levels: too small for oneDNN,
                // so libtorch weighs NNPACK for it, and says so on CPUs where NNPACK cannot start.
                Shape in = new Shape(1, 3, 12, 12);
                Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(10).build();
                conv.initialize(m, DataType.FLOAT32, in);
                NDList y = conv.forward(new ParameterStore(m, false), new NDList(m.randomUniform(0, 1, in)), false);
                System.out.println("probe done " + y.head().getShape());
            }
        }
    }
}
