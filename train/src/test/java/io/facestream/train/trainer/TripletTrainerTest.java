package io.facestream.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.facestream.core.event.HardExample.LabelSource;
import io.facestream.recognize.align.FaceCrop;
import io.facestream.recognize.embed.TrainableNetwork;
import io.facestream.recognize.weights.WeightStore;
import io.facestream.train.buffer.BufferedFace;
import io.facestream.train.distill.AnchorModel;
import io.facestream.train.distill.KeptFaces;
import io.facestream.train.mining.Mining;
import io.facestream.train.mining.SemiHardMiner;
import io.facestream.train.sample.Augmenter;
import io.facestream.train.sample.Batch;
import io.facestream.train.testing.YaleFaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A few real training steps on real faces lower the triplet loss, and validation sees the new weights; the
 * distillation term is zero on the starting weights and holds the drift from them down.
 */
class TripletTrainerTest {

    /**
     * 4 Yale B training people × 4 faces as one batch; their crops are added to {@code crops}. Images 13, 27, 41 and
     * 55 of each: lights from below, from far to the side and from above, so that the public model, on faces aligned
     * as a whole, still leaves some triplets of the batch active.
     */
    private static Batch batch(List<FaceCrop> crops) throws Exception {
        Map<String, List<FaceCrop>> faces = YaleFaces.crops(List.of("yaleB01", "yaleB02", "yaleB03", "yaleB04"), 4, 14, 12);
        List<BufferedFace> list = new ArrayList<>();
        int[] labels = new int[16];
        int i = 0;
        int person = 0;
        for (List<FaceCrop> ofPerson : faces.values()) {
            for (FaceCrop c : ofPerson) {
                list.add(new BufferedFace(i, "p" + person, LabelSource.CONFIRMED, c.size(), BufferedFace.toBytes(c)));
                crops.add(list.get(i).toCrop());
                labels[i++] = person;
            }
            person++;
        }
        return new Batch(list, labels, new boolean[16], 4);
    }

    @Test
    void aFewStepsLowerTheLossOnRealFaces() throws Exception {
        List<FaceCrop> crops = new ArrayList<>();
        Batch batch = batch(crops);
        int[] labels = batch.labels();
        SemiHardMiner hardestFirst = new SemiHardMiner(SemiHardMiner.FACENET_ALPHA, Double.POSITIVE_INFINITY);
        TrainerOptions o = TrainerOptions.defaults().withBatch(4, 4).withLearningRate(5e-4).withAugmentation(false, 0);
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TripletTrainer trainer = new TripletTrainer(net, o)) {
            float[][] before = trainer.embed(crops);
            Mining m0 = hardestFirst.mine(before, labels, null);
            double loss0 = m0.meanLoss();
            StepResult first = null;
            for (int s = 0; s < 6; s++) {
                StepResult r = trainer.step(batch);
                first = first == null ? r : first;
            }
            float[][] after = trainer.embed(crops);
            double loss1 = hardestFirst.mine(after, labels, null).meanLoss();
            System.out.printf("loss on the batch: %.4f -> %.4f (first step %.4f, %d triplets, %.0f%% active, %.2f s)%n",
                    loss0, loss1, first.loss(), first.triplets(), 100 * first.activeFraction(), first.seconds());
            // the training forward and the inference path agree on the unchanged weights
            assertEquals(loss0, first.loss(), 1e-3);
            assertTrue(first.updated());
            // some triplets of these faces are wrong for the public model (mean hardest-first loss 0.018 measured
            // since data-set images get the equalised looks and are aligned on their own landmarks)
            assertTrue(loss0 > 0.01, "the public model should find some of these faces hard, loss " + loss0);
            assertTrue(loss1 < 0.6 * loss0, "6 steps should lower the loss well: " + loss0 + " -> " + loss1);
            assertEquals(6, trainer.steps());
            assertEquals(96, trainer.imagesSeen());
        }
    }

    /**
     * SGD with momentum learns the same batch too, and moves the embedding less on its first step than Adam does: Adam
     * moves every trainable weight by about its learning rate while its moments are young, SGD each weight in
     * proportion to its gradient.
     */
    @Test
    void sgdLowersTheLossWithASmallerFirstMove() throws Exception {
        List<FaceCrop> crops = new ArrayList<>();
        Batch batch = batch(crops);
        SemiHardMiner hardestFirst = new SemiHardMiner(SemiHardMiner.FACENET_ALPHA, Double.POSITIVE_INFINITY);
        TrainerOptions sgd = TrainerOptions.defaults().withBatch(4, 4).withLearningRate(SGD_RATE)
                .withAugmentation(false, 0).withOptimizer("sgd");
        double loss0;
        double loss1;
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TripletTrainer trainer = new TripletTrainer(net, sgd)) {
            loss0 = hardestFirst.mine(trainer.embed(crops), batch.labels(), null).meanLoss();
            for (int s = 0; s < 6; s++) {
                trainer.step(batch);
            }
            loss1 = hardestFirst.mine(trainer.embed(crops), batch.labels(), null).meanLoss();
        }
        double sgdMove = drifts(batch, sgd, 2)[1];
        double adamMove = drifts(batch, sgd.withOptimizer("adam").withLearningRate(5e-4), 2)[1];
        System.out.printf("sgd at %.0e: loss %.4f -> %.4f; first step moves the batch by %.4f (adam at 5e-4: %.4f)%n",
                SGD_RATE, loss0, loss1, sgdMove, adamMove);
        assertTrue(loss1 < 0.6 * loss0, "6 SGD steps should lower the loss well: " + loss0 + " -> " + loss1);
        assertTrue(sgdMove > 0 && sgdMove < 0.2 * adamMove, "first step's drift: sgd " + sgdMove + ", adam " + adamMove);
    }

    /** The SGD rate of the test above. */
    private static final double SGD_RATE = 1e-3;

    /**
     * A warm-up takes the kick out of Adam's first update: over 50 updates the rate rises from 0, so the first moves
     * the batch by a fraction of what the full rate does.
     */
    @Test
    void aWarmUpTakesTheKickOutOfAdamsFirstUpdate() throws Exception {
        Batch batch = batch(new ArrayList<FaceCrop>());
        TrainerOptions adam = TrainerOptions.defaults().withBatch(4, 4).withLearningRate(5e-4).withAugmentation(false, 0);
        double plain = drifts(batch, adam, 2)[1];
        double warm = drifts(batch, adam.withWarmup(50), 2)[1];
        System.out.printf("adam at 5e-4, first update moves the batch by %.4f; after a 50-update warm-up's first %.5f%n",
                plain, warm);
        assertTrue(warm > 0 && warm < 0.05 * plain, "first update's drift: warm-up " + warm + ", none " + plain);
        assertThrows(IllegalArgumentException.class, () -> adam.withWarmup(-1));
    }

    @Test
    void distillationIsZeroOnTheStartingWeightsAndHoldsTheDriftDown() throws Exception {
        Batch batch = batch(new ArrayList<FaceCrop>());
        TrainerOptions o = TrainerOptions.defaults().withBatch(4, 4).withLearningRate(5e-4).withAugmentation(false, 0);
        double[] free = drifts(batch, o, 4);
        double[] held = drifts(batch, o.withDistillation(20), 4);
        System.out.printf("drift by step, lambda 0: %s; lambda 20: %s%n", java.util.Arrays.toString(free),
                java.util.Arrays.toString(held));
        // step 1 sees the starting weights: the trained and the frozen forward are the same computation
        assertEquals(0, free[0], 1e-12);
        assertEquals(0, held[0], 1e-12);
        // then the weights move, and the drift with them
        assertTrue(free[1] > 1e-5, "one update should move the embeddings, drift " + free[1]);
        assertTrue(free[3] > free[1], "the drift should grow as the weights move: " + free[1] + " -> " + free[3]);
        // with the term, the same steps move the embedding less (measured: 1.77 free, 0.21 held at lambda 20)
        assertTrue(held[3] < 0.5 * free[3], "distillation should hold the drift down: " + held[3] + " vs " + free[3]);
    }

    /**
     * Faces outside the batch held where the starting model put them: the term is zero at the first step (nothing has
     * moved), is reported at every step, and the same four updates move those faces less than without it.
     */
    @Test
    void keptFacesStayNearWhereTheStartPutThem() throws Exception {
        Batch batch = batch(new ArrayList<FaceCrop>());
        List<FaceCrop> others = new ArrayList<>();
        YaleFaces.crops(List.of("yaleB05", "yaleB06"), 4, 14, 12).values().forEach(others::addAll);
        TrainerOptions o = TrainerOptions.defaults().withBatch(4, 4).withLearningRate(5e-4).withAugmentation(false, 0);
        double[] free = keptDrifts(batch, o, others, null);
        double[] held = keptDrifts(batch, o, others, new KeptFaces(others, 20, others.size(), 1));
        System.out.printf("kept faces' drift after 4 steps: %.4f free, %.4f held (reported by step: %s)%n", free[4],
                held[4], java.util.Arrays.toString(java.util.Arrays.copyOf(held, 4)));
        assertEquals(0, free[0], 1e-12);
        assertEquals(0, held[0], 1e-12);
        assertTrue(held[3] > 0, "the kept faces' drift should be reported once the weights move, was " + held[3]);
        assertTrue(free[4] > 1e-3, "four updates should move faces outside the batch too, drift " + free[4]);
        assertTrue(held[4] < 0.5 * free[4], "the term should hold the kept faces: " + held[4] + " vs " + free[4]);
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu())) {
            KeptFaces kept = new KeptFaces(others, 1, 2, 1);
            assertThrows(IllegalArgumentException.class, () -> new TripletTrainer(net, o, null, kept));
        }
    }

    /**
     * Kept faces shown relit (a light from one side) keep the unlit face's embedding as their target. With a batch
     * that teaches nothing (each person twice the same crop, the two people far apart), that target is the only
     * force: faces held as they are give no term and no step, and faces held relit come toward their unlit selves,
     * under a light the steps never drew. (At this test's rate, 1e-5: Adam's first steps move every weight by about
     * the rate, and at 5e-5 or 1e-4 that kick alone took the relit faces further away before the term brought them back.)
     */
    @Test
    void relitKeptFacesMoveTowardTheirUnlitSelves() throws Exception {
        Batch full = batch(new ArrayList<FaceCrop>());
        BufferedFace a = full.faces().get(0);
        BufferedFace b = full.faces().get(4);
        Batch idle = new Batch(List.of(a, a, b, b), new int[] {0, 0, 1, 1}, new boolean[4], 2);
        // Kept faces are general-domain faces, lit: the photos of the first lights (near the camera's axis), not the
        // dark ones whose structure the light below would flatten further.
        List<FaceCrop> plain = new ArrayList<>();
        YaleFaces.crops(List.of("yaleB05", "yaleB06"), 4, 3, 0).values().forEach(plain::addAll);
        Augmenter fixedLight = new Augmenter(false, 0, 0.8, 9);
        List<FaceCrop> relit = plain.stream().map(f -> new FaceCrop(f.size(), fixedLight.relit(f))).toList();
        TrainerOptions o = TrainerOptions.defaults().withBatch(2, 2).withLearningRate(1e-5).withAugmentation(false, 0);
        double[] asTheyAre = relitDistances(idle, o, plain, relit, 0);
        double[] shownRelit = relitDistances(idle, o, plain, relit, 1);
        System.out.printf("relit faces to their unlit start: %.4f before; after 10 steps %.4f (held as they are), %.4f"
                + " (held relit; first step's term %.4f)%n", asTheyAre[0], asTheyAre[2], shownRelit[2], shownRelit[1]);
        assertEquals(0, asTheyAre[1], 1e-12);
        assertEquals(asTheyAre[0], asTheyAre[2], 1e-9, "nothing to learn, nothing moved");
        assertTrue(shownRelit[1] > 0.2 * shownRelit[0], "the term at step 1 measures relit against unlit: "
                + shownRelit[1] + " vs " + shownRelit[0]);
        // The photos read as their samples (darker than before): 0.0172 -> 0.0164 at 1e-5; at 5e-5 Adam's kick still
        // outweighed the term after 10 steps (0.0183).
        assertTrue(shownRelit[2] < 0.98 * shownRelit[0], "relit kept faces should come toward their unlit selves: "
                + shownRelit[2] + " vs " + shownRelit[0]);
    }

    /**
     * Trains 10 steps on {@code batch} holding {@code plain}, a share {@code share} of them shown relit; returns the
     * relit faces' mean distance to their unlit start before, the first step's kept-face term, and that distance after.
     */
    private static double[] relitDistances(Batch batch, TrainerOptions o, List<FaceCrop> plain, List<FaceCrop> relit,
            double share) {
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TrainableNetwork start = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TripletTrainer trainer = new TripletTrainer(net, o, new AnchorModel(start),
                        new KeptFaces(plain, 1, plain.size(), 1).relighting(new Augmenter(false, 0, 0.8, 3), share))) {
            float[][] unlit = trainer.embed(plain);
            double before = TrainingRun.meanSquaredDistance(trainer.embed(relit), unlit);
            double first = trainer.step(batch).keptDrift();
            for (int s = 0; s < 9; s++) {
                trainer.step(batch);
            }
            return new double[] {before, first, TrainingRun.meanSquaredDistance(trainer.embed(relit), unlit)};
        }
    }

    /**
     * The kept faces' drift reported at each of 4 steps (0 without {@code kept}), then, at index 4, their drift after
     * the 4th update, measured by inference.
     */
    private static double[] keptDrifts(Batch batch, TrainerOptions o, List<FaceCrop> faces, KeptFaces kept) {
        double[] d = new double[5];
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TrainableNetwork start = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TripletTrainer trainer = new TripletTrainer(net, o, new AnchorModel(start), kept)) {
            float[][] before = trainer.embed(faces);
            for (int s = 0; s < 4; s++) {
                d[s] = trainer.step(batch).keptDrift();
            }
            d[4] = TrainingRun.meanSquaredDistance(trainer.embed(faces), before);
        }
        return d;
    }

    /**
     * With {@code --distill-to centre} the term pulls each crop toward its person's centre in the starting model's
     * space: it is felt at the first step, where nothing has moved yet, and a few steps bring each person's crops
     * closer to where the starting model put that person.
     */
    @Test
    void aPullTowardPersonCentresBringsEachPersonsLightsTogether() throws Exception {
        List<FaceCrop> crops = new ArrayList<>();
        Batch batch = batch(crops);
        TrainerOptions o = TrainerOptions.defaults().withBatch(4, 4).withLearningRate(5e-4).withAugmentation(false, 0)
                .withDistillation(20).withDistillTarget("centre");
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TrainableNetwork start = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TripletTrainer trainer = new TripletTrainer(net, o, new AnchorModel(start))) {
            float[][] e0 = trainer.embed(crops);
            float[][] centres = personCentres(e0, batch.labels());
            double before = toCentres(e0, centres, batch.labels());
            StepResult first = trainer.step(batch);
            assertEquals(0, first.drift(), 1e-12);
            assertTrue(first.distillLoss() > 20 * 0.5 * before, "the pull at the first step " + first.distillLoss()
                    + " should be about 20 x the crops' distance to their centres, " + before);
            for (int s = 0; s < 3; s++) {
                trainer.step(batch);
            }
            double after = toCentres(trainer.embed(crops), centres, batch.labels());
            System.out.printf("mean squared distance to the person's start centre: %.4f -> %.4f%n", before, after);
            assertTrue(after < 0.5 * before, "4 steps should bring the crops toward their centres: " + before + " -> " + after);
        }
    }

    /** Each person's normalised mean embedding, by label. */
    private static float[][] personCentres(float[][] e, int[] labels) {
        int people = java.util.Arrays.stream(labels).max().orElse(-1) + 1;
        float[][] c = new float[people][e[0].length];
        for (int i = 0; i < e.length; i++) {
            for (int j = 0; j < e[i].length; j++) {
                c[labels[i]][j] += e[i][j];
            }
        }
        for (float[] v : c) {
            double n = 0;
            for (float x : v) {
                n += x * x;
            }
            for (int j = 0; j < v.length; j++) {
                v[j] /= (float) Math.sqrt(n);
            }
        }
        return c;
    }

    /** Mean squared distance of each embedding to its person's centre. */
    private static double toCentres(float[][] e, float[][] centres, int[] labels) {
        double sum = 0;
        for (int i = 0; i < e.length; i++) {
            for (int j = 0; j < e[i].length; j++) {
                double d = e[i][j] - centres[labels[i]][j];
                sum += d * d;
            }
        }
        return sum / e.length;
    }

    /**
     * With {@code --train-params biases} the steps move the trained layers' biases and nothing else: every convolution
     * weight and PReLU slope, and every parameter of the frozen layers, stays as published, and the batch's loss
     * still falls.
     */
    @Test
    void biasesOnlyLeaveEveryWeightAsPublished() throws Exception {
        SixSteps r = sixSteps(TrainerOptions.defaults().withBatch(4, 4).withLearningRate(1e-3).withAugmentation(false, 0)
                .withParameters("biases"));
        int weights = 0;
        int biases = 0;
        int biasesMoved = 0;
        for (Map.Entry<String, float[]> e : r.before().entrySet()) {
            float[] b = e.getValue();
            float[] a = r.after().get(e.getKey());
            boolean moved = !java.util.Arrays.equals(b, a);
            if (e.getKey().endsWith("bias")) {
                biases++;
                biasesMoved += moved ? 1 : 0;
            } else {
                weights++;
                assertFalse(moved, e.getKey() + " should stay as published");
            }
        }
        System.out.printf("biases only: loss %.4f -> %.4f; %d bias vectors moved, %d weight tensors kept%n",
                r.loss0(), r.loss1(), biasesMoved, weights);
        // one bias vector per layer; those of the trained layers (bneck5_expand on: 34 of 52) moved, the rest not
        assertEquals(52, biases);
        assertEquals(34, r.trainableLayers());
        assertEquals(r.trainableLayers(), biasesMoved);
        // a weight per layer and a slope per PReLU, all compared
        assertTrue(weights > biases, "every layer's weight should be compared, were " + weights);
        // measured 0.0183 -> 0.0132
        assertTrue(r.loss1() < 0.85 * r.loss0(), "6 steps on the biases should lower the loss: " + r.loss0() + " -> " + r.loss1());
    }

    /**
     * With {@code --train-params pointwise} only the weights of the trained layers' 1×1 convolutions (expansions and
     * projections) learn; the depthwise weights, the biases and the PReLU slopes stay as published.
     */
    @Test
    void pointwiseTrainsOnlyTheOneByOneWeights() throws Exception {
        SixSteps r = sixSteps(TrainerOptions.defaults().withBatch(4, 4).withLearningRate(1e-4).withAugmentation(false, 0)
                .withParameters("pointwise"));
        java.util.List<String> moved = new java.util.ArrayList<>();
        for (Map.Entry<String, float[]> e : r.before().entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), r.after().get(e.getKey()))) {
                moved.add(e.getKey().replaceAll("^\\d+", ""));
            }
        }
        System.out.printf("pointwise: loss %.4f -> %.4f; moved %s%n", r.loss0(), r.loss1(), moved);
        // the trained layers (bneck5_expand on): ten blocks' expansion and projection, and the head's 1x1 layers;
        // never a depthwise weight (the blocks' or the head's global one), a bias or a slope
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (int b = 5; b <= 14; b++) {
            expected.add("bneck" + b + "_expand_weight");
            expected.add("bneck" + b + "_project_weight");
        }
        assertTrue(moved.containsAll(expected), "every block's 1x1 weights should learn: " + moved);
        for (String k : moved) {
            assertTrue(k.endsWith("_weight") && !k.contains("_dw_") && !k.contains("gdc") && !k.contains("prelu"),
                    k + " moved, but only 1x1 weights should");
        }
        assertTrue(r.loss1() < 0.85 * r.loss0(), "6 steps should lower the loss: " + r.loss0() + " -> " + r.loss1());
    }

    /**
     * LAMB moves each trained parameter array by the learning rate times its own norm per step, so after six steps
     * none has changed by more than six times the rate, relative to itself, whether it is a 1×1 expansion's small
     * weights or a bias near 5; and the loss falls as with Adam.
     */
    @Test
    void lambMovesEveryTrainedArrayByTheSameRelativeStep() throws Exception {
        double eta = 1e-3;
        SixSteps r = sixSteps(TrainerOptions.defaults().withBatch(4, 4).withLearningRate(eta).withAugmentation(false, 0)
                .withOptimizer("lamb"));
        double least = Double.POSITIVE_INFINITY;
        double most = 0;
        int moved = 0;
        for (Map.Entry<String, float[]> e : r.before().entrySet()) {
            float[] b = e.getValue();
            float[] a = r.after().get(e.getKey());
            double d = 0;
            double n = 0;
            for (int i = 0; i < b.length; i++) {
                d += (a[i] - b[i]) * (double) (a[i] - b[i]);
                n += b[i] * (double) b[i];
            }
            if (d > 0) {
                moved++;
                double rel = Math.sqrt(d / n);
                least = Math.min(least, rel);
                most = Math.max(most, rel);
            }
        }
        System.out.printf("lamb at %.0e: loss %.4f -> %.4f; %d arrays moved by %.5f to %.5f of their norm%n", eta,
                r.loss0(), r.loss1(), moved, least, most);
        assertTrue(moved > 0);
        assertTrue(most <= 6 * eta * 1.001, "no array moves more than 6 steps of the rate: " + most);
        assertTrue(least > 0.5 * eta, "every trained array takes its steps (at least one's worth): " + least);
        assertTrue(r.loss1() < 0.85 * r.loss0(), "6 LAMB steps should lower the loss: " + r.loss0() + " -> " + r.loss1());
    }

    /**
     * With {@code --train-to bneck14_project} the head (1×1 expansion, GDC, the two linear layers) keeps every
     * parameter as published while the stages before it learn, and the batch's loss still falls; a last layer before
     * the first is refused.
     */
    @Test
    void trainingToALayerKeepsTheLayersAfterItAsPublished() throws Exception {
        TrainerOptions o = TrainerOptions.defaults().withBatch(4, 4).withLearningRate(1e-3).withAugmentation(false, 0)
                .trainingTo("bneck14_project");
        List<String> head = List.of("head_expand", "gdc", "head_linear", "embedding");
        SixSteps r = sixSteps(o);
        int headKept = 0;
        int stageMoved = 0;
        for (Map.Entry<String, float[]> e : r.before().entrySet()) {
            boolean moved = !java.util.Arrays.equals(e.getValue(), r.after().get(e.getKey()));
            if (head.stream().anyMatch(e.getKey()::contains)) {
                assertFalse(moved, e.getKey() + " is in the head and should stay as published");
                headKept++;
            } else if (e.getKey().contains("bneck14_")) {
                stageMoved += moved ? 1 : 0;
            }
        }
        System.out.printf("train to bneck14_project: loss %.4f -> %.4f; %d head tensors kept%n", r.loss0(), r.loss1(), headKept);
        // 34 layers from bneck5_expand on, less the head's 4
        assertEquals(30, r.trainableLayers());
        assertTrue(headKept >= 4, "every head layer's parameters should be compared, were " + headKept);
        assertTrue(stageMoved > 0, "the last trained block, bneck14, should learn");
        assertTrue(r.loss1() < 0.85 * r.loss0(), "6 steps before the head should lower the loss: " + r.loss0() + " -> " + r.loss1());
        TrainerOptions backwards = o.trainingFrom("bneck10_expand").trainingTo("bneck5_expand");
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu())) {
            var e = assertThrows(IllegalArgumentException.class, () -> new TripletTrainer(net, backwards));
            assertTrue(e.getMessage().contains("comes before the first"), e.getMessage());
            var missing = assertThrows(IllegalArgumentException.class,
                    () -> new TripletTrainer(net, o.trainingTo("bneck99_project")));
            assertTrue(missing.getMessage().contains("no layer 'bneck99_project'"), missing.getMessage());
        }
    }

    /** Every parameter before and after six steps on the test batch, its loss before and after, the trained layers. */
    private record SixSteps(Map<String, float[]> before, Map<String, float[]> after, double loss0, double loss1,
            int trainableLayers) {
    }

    /** Six steps with {@code o} from the public weights on the 4 × 4 test batch, the loss measured hardest-first. */
    private static SixSteps sixSteps(TrainerOptions o) throws Exception {
        List<FaceCrop> crops = new ArrayList<>();
        Batch batch = batch(crops);
        SemiHardMiner hardestFirst = new SemiHardMiner(SemiHardMiner.FACENET_ALPHA, Double.POSITIVE_INFINITY);
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TripletTrainer trainer = new TripletTrainer(net, o)) {
            Map<String, float[]> before = values(net);
            double loss0 = hardestFirst.mine(trainer.embed(crops), batch.labels(), null).meanLoss();
            for (int s = 0; s < 6; s++) {
                trainer.step(batch);
            }
            double loss1 = hardestFirst.mine(trainer.embed(crops), batch.labels(), null).meanLoss();
            return new SixSteps(before, values(net), loss0, loss1, trainer.trainableLayers());
        }
    }

    /** Every parameter of the network by name, copied out. */
    private static Map<String, float[]> values(TrainableNetwork net) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (var p : net.model().getBlock().getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /** The drift reported at each of {@code n} steps on the same batch (measured before each update). */
    private static double[] drifts(Batch batch, TrainerOptions o, int n) {
        double[] d = new double[n];
        try (TrainableNetwork net = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TrainableNetwork start = TrainableNetwork.fromPublicWeights(WeightStore.defaultStore(), Device.cpu());
                TripletTrainer trainer = new TripletTrainer(net, o, new AnchorModel(start))) {
            for (int s = 0; s < n; s++) {
                StepResult r = trainer.step(batch);
                d[s] = r.drift();
                assertEquals(o.distillWeight() * r.drift(), r.distillLoss(), 1e-6);
            }
        }
        return d;
    }
}
