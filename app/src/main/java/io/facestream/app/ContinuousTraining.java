package io.facestream.app;

import ai.djl.Device;
import io.facestream.recognize.embed.PublishedModels;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.engine.EngineOptions;
import io.facestream.recognize.engine.FaceEngine;
import io.facestream.recognize.engine.FaceModel;
import io.facestream.recognize.eval.PairsFile;
import io.facestream.recognize.weights.WeightStore;
import io.facestream.train.buffer.ReplayBuffer;
import io.facestream.train.data.FaceCropper;
import io.facestream.train.distill.KeptFaces;
import io.facestream.train.gate.ValidationGate;
import io.facestream.train.gate.ValidationSet;
import io.facestream.train.stream.ContinuousTrainer;
import io.facestream.train.stream.TrainerServer;
import io.facestream.train.stream.TrainerService;
import io.facestream.train.trainer.TrainerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The continuous trainer wired to a Kafka cluster, as {@code train --bootstrap} and {@code demo --train} run it: the
 * gate's sets aligned once, the replay buffer under {@code OUT/buffer} (kept across restarts), rounds under
 * {@code OUT/round-N}, published models materialised under {@code OUT/models}.
 */
final class ContinuousTraining {

    private final String bootstrap;
    private Integer httpPort;
    private String httpHost = "0.0.0.0";
    private final ContinuousTrainer trainer;
    private final Path out;
    private final PrintStream log;
    private final long started = System.nanoTime();
    private volatile double firstPublishedSeconds = -1;

    private ContinuousTraining(String bootstrap, ContinuousTrainer trainer, Path out, PrintStream log) {
        this.bootstrap = bootstrap;
        this.trainer = trainer;
        this.out = out;
        this.log = log;
    }

    /** Aligns the gate's pairs and opens the buffer; {@code images} is where --val-pairs' images are when --val-images is not given. */
    static ContinuousTraining fromOptions(String bootstrap, TrainingMixin o, Path images, Path out, EngineOptions engine,
            PrintStream log) throws IOException {
        if (o.valPairs == null) {
            throw new IllegalArgumentException("the continuous trainer needs --val-pairs PAIRS.txt: held-out pairs of the"
                    + " target domain (people who are not in the stream), which its gate measures each candidate on");
        }
        o.checkGeneral();
        Path valImages = o.valImages != null ? o.valImages : images;
        if (valImages == null) {
            throw new IllegalArgumentException("give --val-images DIR, the folder of --val-pairs' images");
        }
        if (out == null) {
            throw new IllegalArgumentException("give --out DIR, where the trainer keeps its buffer, rounds and models");
        }
        Files.createDirectories(out);
        PairsFile target = PairsFile.read(o.valPairs, valImages);
        PairsFile general = o.generalPairs == null ? null : PairsFile.read(o.generalPairs, o.generalImages);
        ValidationGate gate;
        KeptFaces kept;
        try (FaceEngine fe = FaceEngine.open(engine)) {
            FaceCropper cropper = new FaceCropper(fe, FaceModel.MOBILEFACENET);
            ValidationSet targetSet = TrainCommand.validationSet("target " + valImages.getFileName(), target, cropper);
            ValidationSet generalSet = general == null ? null : TrainCommand.validationSet("general", general, cropper);
            gate = new ValidationGate(targetSet, generalSet, o.generalTolerance);
            kept = o.keptFaces(cropper);
        }
        ReplayBuffer buffer = ReplayBuffer.open(out.resolve("buffer"), o.buffer());
        TrainerOptions options = o.options(true);
        WeightStore store = engine.weightsDir() == null ? WeightStore.defaultStore() : new WeightStore(engine.weightsDir());
        Device device = device(engine);
        ContinuousTrainer trainer = new ContinuousTrainer(dir -> TrainableNetwork.open(dir, store, device),
                buffer, gate, options, o.roundEvery, out, TrainerService.publisher(bootstrap, PublishedModels.root())).mixes(o.mixes)
                .positivePool(o.positivePool).keeping(kept).joinLineages(o.joinLineages)
                .publishWhenKept(o.publishWhenKept);
        log.printf(Locale.ROOT, "train: continuous on %s: a round every %d new faces once %d people have %d faces each;"
                + " replay buffer %s (%d faces of %d people kept from before); each round: %s%n", bootstrap, o.roundEvery,
                options.p(), options.k(), buffer.directory(), buffer.size(), buffer.counts().size(),
                o.describe(options, "the newest published model"));
        if (general == null) {
            log.println("train: no --general-pairs; the gate checks the held-out target pairs only");
        }
        return new ContinuousTraining(bootstrap, trainer, out, log);
    }

    /** The training device of --device: auto takes a GPU when the engine sees one. */
    static Device device(EngineOptions engine) {
        Device named = FaceEngine.requestedDevice(engine);
        return named != null ? named : ai.djl.engine.Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    /** Serves the trainer's metrics and probes on {@code host:port} while it runs (null port: none). */
    ContinuousTraining serving(Integer port, String host) {
        this.httpPort = port;
        this.httpHost = host;
        return this;
    }

    /** Runs until {@code stop}; returns the exit code. */
    int runUntil(BooleanSupplier stop) throws Exception {
        try (TrainerService service = start();
             TrainerServer http = httpPort == null ? null : TrainerServer.start(httpHost, httpPort, service)) {
            if (http != null) {
                log.println("train: metrics and probes at http://" + httpHost + ":" + http.port() + "/metrics");
            }
            service.run(stop);
            return 0;
        }
    }

    /**
     * Runs until {@code streamDone}, then reads what is left on the topic and runs a last round with it (see
     * {@link TrainerService#finish}); returns the service's summary line.
     */
    String runUntilStreamEnds(BooleanSupplier streamDone, BooleanSupplier stop, Duration quiet) throws Exception {
        try (TrainerService service = start()) {
            service.run(streamDone, stop);
            service.finish(quiet, stop);
            return summary(service);
        }
    }

    private TrainerService start() throws IOException {
        TrainerService service = TrainerService.start(bootstrap, trainer, out.resolve("models"), new Listener());
        if (trainer.published() != null) {
            log.println("train: resuming from the newest published model, " + trainer.published());
        }
        return service;
    }

    private String summary(TrainerService s) {
        ContinuousTrainer.Round last = s.lastPublished();
        return String.format(Locale.ROOT, "%d faces taken (%d unreadable), %d round(s), %s", s.added(), s.skipped(),
                trainer.rounds(), last == null ? "no model published"
                        : String.format(Locale.ROOT, "last published %s (round %d); first published %.0f s after the start",
                                last.published(), last.number(), firstPublishedSeconds));
    }

    /** Seconds from the trainer's start to its first published model, or -1. */
    double firstPublishedSeconds() {
        return firstPublishedSeconds;
    }

    private final class Listener extends TrainCommand.Progress implements TrainerService.Listener {
        private long lastFacesLine;

        Listener() {
            super(TrainingMixin.ROUND_STEPS);
        }

        @Override
        public void onFaces(int added, int skipped, int bufferFaces, int bufferIdentities) {
            long now = System.nanoTime();
            if (now - lastFacesLine > 5_000_000_000L || skipped > 0) {
                lastFacesLine = now;
                log.printf(Locale.ROOT, "train: +%d faces%s; buffer %d faces of %d identities, %d new since the last round%n",
                        added, skipped > 0 ? " (" + skipped + " unreadable records skipped)" : "", bufferFaces,
                        bufferIdentities, trainer.newFaces());
            }
        }

        @Override
        public void onRoundStart(int round, int bufferFaces, int bufferIdentities) {
            int groups = trainer.bufferLineageGroups();
            log.printf(Locale.ROOT, "train: round %d from %s on %d faces of %d identities%s%n", round,
                    trainer.published() == null ? "the public model" : trainer.published(), bufferFaces, bufferIdentities,
                    groups == bufferIdentities ? "" : " (" + groups + " once split tracks are linked)");
        }

        @Override
        public void onRoundAbandoned(int round) {
            log.printf(Locale.ROOT, "train: round %d abandoned: the trainer is stopping; nothing more of it is published%n",
                    round);
        }

        @Override
        public void onPublished(io.facestream.train.model.ModelRecord model, int step) {
            double seconds = (System.nanoTime() - started) / 1e9;
            if (firstPublishedSeconds < 0) {
                firstPublishedSeconds = seconds;
            }
            log.printf(Locale.ROOT, "train: published %s to models, kept at step %d of round %d, %.0f s after the start"
                    + " (%s)%n", model.id(), step, trainer.rounds(), seconds, model.target());
        }

        @Override
        public void onRound(ContinuousTrainer.Round r) {
            log.printf(Locale.ROOT, "train: round %d: %d steps, %.1f images/s; %s%n", r.number(), r.outcome().steps(),
                    r.outcome().imagesPerSecond(), r.published() == null ? "the gate kept nothing"
                            : "the last model published was " + r.published() + " (" + r.outcome().best().target() + ")");
        }
    }
}
