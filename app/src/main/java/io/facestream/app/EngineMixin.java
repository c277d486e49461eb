package io.facestream.app;

import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The engine options every face command shares. */
final class EngineMixin {

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "mobilefacenet",
            converter = ModelConverter.class,
            description = "Embedder: mobilefacenet, dlib, ensemble, or the folder of a model saved by"
                    + " 'facestream train' (default: ${DEFAULT-VALUE}).")
    FaceModel model;

    @Option(names = "--threshold", paramLabel = "D",
            description = "Squared L2 distance at or below which two faces are the same person"
                    + " (default: the model's own, see the README).")
    Double threshold;

    @Option(names = "--min-face", paramLabel = "PX", defaultValue = "20",
            description = "Smallest face to detect, in pixels (default: ${DEFAULT-VALUE}, as in MTCNN).")
    int minFace;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Intra-op threads for the networks (default: all cores).")
    int threads;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "auto",
            description = "auto (GPU when present), cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--dlib-chip", paramLabel = "HOW", defaultValue = "five",
            description = "How the dlib ResNet's chip is aligned: five (MTCNN's five landmarks on the dlib template) or"
                    + " shape68 (dlib's own chip from 68 landmarks of a second network) (default: ${DEFAULT-VALUE}).")
    String dlibChip;

    @Option(names = "--weights-dir", paramLabel = "DIR",
            description = "Cache folder of the pretrained weights (default: $FACESTREAM_WEIGHTS or ~/.cache/facestream/weights).")
    Path weightsDir;

    EngineOptions options() {
        return new EngineOptions(weightsDir, threads, device, minFace, dlibChip);
    }

    FaceEngine open() {
        return FaceEngine.open(options());
    }

    double threshold() {
        double t = threshold != null ? threshold : model.threshold();
        if (!(t > 0 && t <= 4)) {
            throw new IllegalArgumentException("--threshold must be in (0, 4] (squared L2 between unit vectors), was " + t);
        }
        return t;
    }

    /** Parses {@code --model}. */
    static final class ModelConverter implements picocli.CommandLine.ITypeConverter<FaceModel> {
        @Override
        public FaceModel convert(String value) {
            return FaceModel.parse(value);
        }
    }
}
