package io.facestream.recognize.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How to open the face engine.
 *
 * @param weightsDir cache folder of the pretrained weights; null for the default location
 * @param threads intra-op threads per network; 0 leaves the engine's default (all cores)
 * @param device {@code auto} (GPU when one is present), {@code cpu} or {@code gpu}
 * @param minFace smallest face to detect in pixels (MTCNN's default is 20)
 * @param dlibChip how the dlib ResNet's 150×150 chip is aligned: {@code five} (MTCNN's five landmarks on the dlib
 *     template) or {@code shape68} (dlib's own chip from 68 landmarks found by a second network)
 */
public record EngineOptions(Path weightsDir, int threads, String device, int minFace, String dlibChip) {

    /** Options with the dlib chip on the five landmarks. */
    public EngineOptions(Path weightsDir, int threads, String device, int minFace) {
        this(weightsDir, threads, device, minFace, "five");
    }

    /** The devices there are, in the order messages list them. */
    public static final List<String> DEVICES = List.of("auto", "cpu", "gpu");
    /** The dlib chip alignments there are. */
    public static final List<String> DLIB_CHIPS = List.of("five", "shape68");

    public EngineOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (engine default) or positive, was " + threads);
        }
        device = device == null ? "auto" : device.toLowerCase(Locale.ROOT);
        if (!DEVICES.contains(device)) {
            throw new IllegalArgumentException("device must be one of auto, cpu, gpu; was '" + device + "'");
        }
        dlibChip = dlibChip == null ? "five" : dlibChip.toLowerCase(Locale.ROOT);
        if (!DLIB_CHIPS.contains(dlibChip)) {
            throw new IllegalArgumentException("the dlib chip must be five or shape68; was '" + dlibChip + "'");
        }
        if (minFace < 12) {
            throw new IllegalArgumentException("minimum face size must be at least 12 px (P-Net's window), was " + minFace);
        }
    }

    /** The same options with another dlib chip alignment. */
    public EngineOptions withDlibChip(String chip) {
        return new EngineOptions(weightsDir, threads, device, minFace, chip);
    }

    /** True when the dlib chip comes from 68 landmarks. */
    public boolean dlibShape68() {
        return "shape68".equals(dlibChip);
    }

    /** Defaults: default weights folder, all cores, automatic device, 20 px faces, the dlib chip on five landmarks. */
    public static EngineOptions defaults() {
        return new EngineOptions(null, 0, "auto", 20);
    }
}
