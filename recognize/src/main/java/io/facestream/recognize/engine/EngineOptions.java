package io.facestream.recognize.engine;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * How to open the face engine.
 *
 * @param weightsDir cache folder of the pretrained weights; null for the default location
 * @param threads intra-op threads per network; 0 leaves the engine's default (all cores)
 * @param device {@code auto} (GPU when one is present), {@code cpu} or {@code gpu}
 * @param minFace smallest face to detect in pixels (MTCNN's default is 20)
 */
public record EngineOptions(Path weightsDir, int threads, String device, int minFace) {

    private static final Set<String> DEVICES = Set.of("auto", "cpu", "gpu");

    public EngineOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (engine default) or positive, was " + threads);
        }
        device = device == null ? "auto" : device.toLowerCase(Locale.ROOT);
        if (!DEVICES.contains(device)) {
            throw new IllegalArgumentException("device must be one of auto, cpu, gpu; was '" + device + "'");
        }
        if (minFace < 12) {
            throw new IllegalArgumentException("minimum face size must be at least 12 px (P-Net's window), was " + minFace);
        }
    }

    /** Defaults: default weights folder, all cores, automatic device, 20 px faces. */
    public static EngineOptions defaults() {
        return new EngineOptions(null, 0, "auto", 20);
    }
}
