package io.facestream.recognize.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.facestream.recognize.embed.ConvLayer.Act;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * dlib's ResNet-29 face descriptor (the face-api FaceRecognitionNet) as a DJL block: NCHW input
 * {@code (N, 3, 150, 150)} already normalised as {@code (v − mean) / 255}, output the raw
 * {@code (N, 128)} descriptor. {@link DlibImport} fills in the weights.
 */
public final class DlibResNetBlock extends AbstractBlock {

    /** Input side length in pixels. */
    public static final int INPUT_SIZE = 150;
    /** Length of the raw descriptor. */
    public static final int EMBEDDING_SIZE = 128;

    private static final byte VERSION = 1;
    private static final int FEATURES = 256;

    /** One residual unit: {@code down} units halve the size through a stride-2 VALID conv and an avg-pooled shortcut. */
    record Unit(String name, boolean down, ConvLayer conv1, ConvLayer conv2) {
    }

    private final ConvLayer stem;
    private final List<Unit> units = new ArrayList<>();
    private final Parameter fc;

    /** Builds the structure with empty parameters. */
    public DlibResNetBlock() {
        super(VERSION);
        stem = addChildBlock("conv32_down", new ConvLayer("conv32_down", 3, 32, 7, 2, 1, new int[4], Act.RELU));
        int c = 32;
        c = stage(c, 32, false, 3);
        c = stage(c, 64, true, 3);
        c = stage(c, 128, true, 2);
        c = stage(c, 256, true, 2);
        units.add(unit("conv256_down_out", c, c, true));
        fc = addParameter(Parameter.builder().setName("fc").setType(Parameter.Type.WEIGHT).optRequiresGrad(false).build());
    }

    private int stage(int in, int out, boolean down, int residuals) {
        if (down) {
            units.add(unit("conv" + out + "_down", in, out, true));
        }
        for (int i = 1; i <= residuals; i++) {
            units.add(unit("conv" + out + "_" + i, out, out, false));
        }
        return out;
    }

    private Unit unit(String name, int in, int out, boolean down) {
        // SAME for 3×3/1 is a symmetric pad of 1 at every size; the stride-2 conv of a down unit is VALID.
        int[] same = {1, 1, 1, 1};
        ConvLayer conv1 = addChildBlock(name + "_conv1", new ConvLayer(name + "/conv1", in, out, 3, down ? 2 : 1, 1,
                down ? new int[4] : same, Act.RELU));
        ConvLayer conv2 = addChildBlock(name + "_conv2", new ConvLayer(name + "/conv2", out, out, 3, 1, 1, same, Act.NONE));
        return new Unit(name, down, conv1, conv2);
    }

    ConvLayer stem() {
        return stem;
    }

    List<Unit> units() {
        return Collections.unmodifiableList(units);
    }

    Parameter fc() {
        return fc;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(run(store, inputs.singletonOrThrow(), null));
    }

    /** The forward pass that also returns, for tests, the per-channel mean of the stem output: {@code [descriptor, stem]}. */
    NDList forwardWithTaps(ParameterStore store, NDArray x) {
        NDList taps = new NDList();
        NDArray out = run(store, x, taps);
        taps.add(0, out);
        return taps;
    }

    private NDArray run(ParameterStore store, NDArray input, NDList taps) {
        Shape s = input.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != INPUT_SIZE || s.get(3) != INPUT_SIZE) {
            throw new IllegalArgumentException("the dlib ResNet takes (N, 3, 150, 150) input, got " + s);
        }
        NDArray y = stem.apply(store, input);
        if (taps != null) {
            taps.add(ConvLayer.spatialMean(y));
        }
        // floor-mode pools throughout: ceil mode would change 72→35 and 35→17
        NDArray x = Pool.maxPool2d(y, new Shape(3, 3), new Shape(2, 2), new Shape(0, 0), false);
        y.close();
        for (Unit u : units) {
            NDArray next = u.down() ? down(store, u, x) : residual(store, u, x);
            x.close();
            x = next;
        }
        NDArray pooled = ConvLayer.spatialMean(x);
        x.close();
        NDArray out = pooled.matMul(store.getValue(fc, pooled.getDevice(), false));
        pooled.close();
        return out;
    }

    private static NDArray residual(ParameterStore store, Unit u, NDArray x) {
        NDArray h = u.conv1().apply(store, x);
        NDArray y = u.conv2().apply(store, h);
        h.close();
        y.addi(x);
        NDArray r = Activation.relu(y);
        y.close();
        return r;
    }

    private static NDArray down(ParameterStore store, Unit u, NDArray x) {
        NDArray h = u.conv1().apply(store, x);
        NDArray main = u.conv2().apply(store, h);
        h.close();
        NDArray shortcut = Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
        long extraChannels = main.getShape().get(1) - shortcut.getShape().get(1);
        if (extraChannels > 0) {
            // the shortcut's new channels are zeros appended after the existing ones
            NDArray widened = shortcut.pad(new Shape(0, 0, 0, 0, 0, extraChannels), 0);
            shortcut.close();
            shortcut = widened;
        }
        long missing = shortcut.getShape().get(2) - main.getShape().get(2);
        if (missing > 0) {
            // a VALID stride-2 conv can come out one smaller: zero rows/columns go at the bottom/right
            NDArray padded = main.pad(new Shape(0, missing, 0, missing), 0);
            main.close();
            main = padded;
        }
        main.addi(shortcut);
        shortcut.close();
        NDArray r = Activation.relu(main);
        main.close();
        return r;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), EMBEDDING_SIZE)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // The parameters are already set; this only records shapes, which DJL's .params format stores.
        stem.initialize(manager, dataType, inputShapes[0]);
        Shape s = stem.getOutputShapes(inputShapes)[0];
        long side = (s.get(2) - 3) / 2 + 1;
        Shape shape = new Shape(s.get(0), s.get(1), side, side);
        for (Unit u : units) {
            u.conv1().initialize(manager, dataType, shape);
            Shape h = u.conv1().getOutputShapes(new Shape[] {shape})[0];
            u.conv2().initialize(manager, dataType, h);
            long out = u.down() ? shape.get(2) / 2 : shape.get(2);
            shape = new Shape(shape.get(0), h.get(1), out, out);
        }
    }

    static int features() {
        return FEATURES;
    }
}
