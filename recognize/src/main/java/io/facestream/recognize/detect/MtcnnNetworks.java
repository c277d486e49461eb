package io.facestream.recognize.detect;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import io.facestream.recognize.nn.BatchCheck;
import io.facestream.recognize.nn.PerChannelPrelu;
import io.facestream.recognize.nn.TorchLogLevel;
import io.facestream.recognize.weights.Tensor;
import io.facestream.recognize.weights.TfjsWeights;
import io.facestream.recognize.weights.WeightFile;
import io.facestream.recognize.weights.WeightStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three MTCNN networks as DJL blocks (NCHW, normal image orientation) holding the original weights.
 *
 * <p>Every network returns {@code [logits, prob, reg]} (O-Net adds {@code landmarks}); {@code prob} is
 * the channel softmax of {@code logits}, channel 1 = face. P-Net is split into {@link #pnetStem()}
 * (conv1, PReLU, ceil-mode pool) and {@link #pnetBody()} (the VALID convolutions and heads), so the
 * pyramid levels can share one forward of the body.
 *
 * <p>The weights are loaded once and never written afterwards; none of them requires a gradient, so
 * the blocks may be run concurrently by several threads, each under its own {@link NDManager} and
 * {@code ParameterStore(manager, false)}.
 */
public final class MtcnnNetworks implements AutoCloseable {

    /** Channels of R-Net's first layer as run: its 28, and 4 zero channels (see the constructor). */
    static final int RNET_WIDTH = 32;

    private final NDManager manager;
    private final SequentialBlock pnetStem;
    private final SequentialBlock pnetBody;
    private final SequentialBlock pnet;
    private final SequentialBlock rnet;
    private final SequentialBlock onet;

    private MtcnnNetworks(NDManager manager, Map<String, Tensor> t) {
        this.manager = manager;
        Loader loader = new Loader(t);
        pnetStem = new SequentialBlock().add(loader.conv("pnet/conv1", 3, 10))
                .add(loader.preluThenPool("pnet/prelu1_alpha", 10, 2, 2));
        pnetBody = new SequentialBlock().add(loader.conv("pnet/conv2", 3, 16))
                .add(loader.prelu("pnet/prelu2_alpha", 16))
                .add(loader.conv("pnet/conv3", 3, 32))
                .add(loader.prelu("pnet/prelu3_alpha", 32))
                .add(heads(loader.conv("pnet/conv4_1", 1, 2), loader.conv("pnet/conv4_2", 1, 4)));
        pnet = new SequentialBlock().add(pnetStem).add(pnetBody);

        // R-Net's first layer is widened from 28 to 32 channels by 4 zero filters that conv2 gives zero weights: the
        // same values, but libtorch's CPU convolution computed wrong values (or NaN) for a batch of 2 or more over
        // 17–31 input channels (and other counts above 16 that are not multiples of 16) on some CPUs (seen on an AMD
        // EPYC), and 32 is computed right there.
        rnet = new SequentialBlock().add(loader.conv("rnet/conv1", 3, 28, 3, RNET_WIDTH))
                .add(loader.preluThenPool("rnet/prelu1_alpha", 28, 3, 2, RNET_WIDTH))
                .add(loader.conv("rnet/conv2", 3, 48, RNET_WIDTH, 48))
                .add(loader.preluThenPool("rnet/prelu2_alpha", 48, 3, 2))
                .add(loader.conv("rnet/conv3", 2, 64))
                .add(loader.prelu("rnet/prelu3_alpha", 64))
                .add(Blocks.batchFlattenBlock())
                .add(loader.fc1("rnet/fc1", 64, 3, 128))
                .add(loader.prelu("rnet/prelu4_alpha", 128))
                .add(heads(loader.linear("rnet/fc2_1", 2), loader.linear("rnet/fc2_2", 4)));

        onet = new SequentialBlock().add(loader.conv("onet/conv1", 3, 32))
                .add(loader.preluThenPool("onet/prelu1_alpha", 32, 3, 2))
                .add(loader.conv("onet/conv2", 3, 64))
                .add(loader.preluThenPool("onet/prelu2_alpha", 64, 3, 2))
                .add(loader.conv("onet/conv3", 3, 64))
                .add(loader.preluThenPool("onet/prelu3_alpha", 64, 2, 2))
                .add(loader.conv("onet/conv4", 2, 128))
                .add(loader.prelu("onet/prelu4_alpha", 128))
                .add(Blocks.batchFlattenBlock())
                .add(loader.fc1("onet/fc1", 128, 3, 256))
                .add(loader.prelu("onet/prelu5_alpha", 256))
                .add(heads(loader.linear("onet/fc2_1", 2), loader.linear("onet/fc2_2", 4),
                        loader.linear("onet/fc2_3", 10)));

        for (Block b : List.of(pnet, rnet, onet)) {
            // Every value is overwritten below; zeros avoid random initialisers (Xavier rejects the 1-D PReLU slopes).
            b.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        }
        pnet.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 12, 12));
        rnet.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 24, 24));
        onet.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 48, 48));
        loader.copyInto();
        // R-Net and O-Net always run on batches of candidates: wrong batch values would miss faces silently.
        BatchCheck.require(rnet, new Shape(1, 3, 24, 24), "MTCNN's R-Net", manager::newSubManager);
        BatchCheck.require(onet, new Shape(1, 3, 48, 48), "MTCNN's O-Net", manager::newSubManager);
    }

    /**
     * Loads the networks from the verified MTCNN weight files of the store (fetching them once if needed), on the
     * engine's default device (a GPU when one is present).
     */
    public static MtcnnNetworks load(WeightStore store) {
        return load(store, null);
    }

    /** As {@link #load(WeightStore)}, on {@code device} ({@code null}: the engine's default device). */
    public static MtcnnNetworks load(WeightStore store, Device device) {
        try {
            return fromTensors(TfjsWeights.read(store.require(WeightFile.MTCNN_MANIFEST)), device);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the MTCNN weights from " + store.root() + ": " + e.getMessage(), e);
        }
    }

    /** Builds the networks from the tensors of the tfjs manifest (stored HWIO / [in,out] layouts). */
    public static MtcnnNetworks fromTensors(Map<String, Tensor> tensors) {
        return fromTensors(tensors, null);
    }

    /** As {@link #fromTensors(Map)}, on {@code device} ({@code null}: the engine's default device). */
    public static MtcnnNetworks fromTensors(Map<String, Tensor> tensors, Device device) {
        TorchLogLevel.apply();
        NDManager manager = device == null ? NDManager.newBaseManager() : NDManager.newBaseManager(device);
        try {
            return new MtcnnNetworks(manager, tensors);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The device the networks' parameters are on; inputs must be put there. */
    public Device device() {
        return manager.getDevice();
    }

    /** P-Net conv1 + PReLU + 2×2/2 ceil-mode max pool. */
    public Block pnetStem() {
        return pnetStem;
    }

    /** P-Net from conv2 to the heads: {@code [logits, prob, reg]}. */
    public Block pnetBody() {
        return pnetBody;
    }

    /** The whole P-Net: {@code [logits, prob, reg]}, each 1×C×h'×w'. */
    public Block pnet() {
        return pnet;
    }

    /** R-Net on N×3×24×24: {@code [logits, prob, reg]}. */
    public Block rnet() {
        return rnet;
    }

    /** O-Net on N×3×48×48: {@code [logits, prob, reg, landmarks]}. */
    public Block onet() {
        return onet;
    }

    /** Arrays held by the networks' own manager: the weights, and nothing a forward left behind. */
    int managedArrayCount() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        manager.close();
    }

    private static Block maxPool(int kernel, int stride) {
        // ceil_mode = true reproduces TF "SAME" pooling (bottom/right padded with -inf) on every input size.
        // Same values as Pool.maxPool2dBlock(k, s, 0, true), which CeilMaxPoolTest checks, but 3-10x faster here.
        return new CeilMaxPool(kernel, stride);
    }

    /** Runs the heads side by side; the first head's logits are followed by their channel softmax. */
    private static Block heads(Block classifier, Block... others) {
        SequentialBlock cls = new SequentialBlock().add(classifier)
                .add(new LambdaBlock(l -> new NDList(l.head(), l.head().softmax(1)), "softmax"));
        List<Block> all = new ArrayList<>();
        all.add(cls);
        all.addAll(Arrays.asList(others));
        return new ParallelBlock(lists -> {
            NDList out = new NDList();
            lists.forEach(out::addAll);
            return out;
        }, all);
    }

    /** Creates the layers and remembers which converted tensor goes into which parameter. */
    private static final class Loader {
        private final Map<String, Tensor> tensors;
        private final Map<Parameter, Tensor> pending = new LinkedHashMap<>();

        Loader(Map<String, Tensor> tensors) {
            this.tensors = tensors;
        }

        Conv2d conv(String name, int kernel, int out) {
            Tensor w = get(name + "/weights");
            return conv(name, kernel, out, w.shape()[2], out);
        }

        /**
         * A convolution of the stored {@code out} filters, run as {@code outTo} filters over {@code in} input channels
         * (at least the stored ones): the added filters and input channels have zero weights, the filters zero bias.
         */
        Conv2d conv(String name, int kernel, int out, int in, int outTo) {
            Tensor w = get(name + "/weights");
            if (w.shape().length != 4 || w.shape()[2] > in || w.shape()[3] != out) {
                throw new IllegalArgumentException(name + "/weights has shape " + Arrays.toString(w.shape())
                        + ", expected [" + kernel + ", " + kernel + ", " + in + ", " + out + "]");
            }
            Conv2d c = Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(outTo).build();
            // Trained on transposed images: (3,2,1,0) both moves I/O and swaps the spatial axes (README §4.2).
            Tensor oihw = w.transpose(3, 2, 1, 0).zeroPadded(0, outTo).zeroPadded(1, in);
            pending.put(c.getParameters().get("weight"), oihw);
            pending.put(c.getParameters().get("bias"), get(name + "/bias").zeroPadded(0, outTo));
            return c;
        }

        PerChannelPrelu prelu(String name, int channels) {
            return prelu(get(name), channels);
        }

        private PerChannelPrelu prelu(Tensor slopes, int channels) {
            // Every PReLU follows a convolution or fully connected layer whose output only it reads; the
            // weights are never trained, so the slopes stay what they are here.
            PerChannelPrelu p = PerChannelPrelu.consumingInput(channels, maxOf(slopes) <= 1);
            pending.put(p.alpha(), slopes);
            return p;
        }

        /**
         * A PReLU and the ceil-mode max pool after it. Slopes above 1 rule out the one-maximum PReLU, so
         * such a pair runs as {@link PreluCeilMaxPool}, which needs no in-place PReLU either.
         */
        Block preluThenPool(String name, int channels, int kernel, int stride) {
            return preluThenPool(name, channels, kernel, stride, channels);
        }

        /** As above, over {@code width} channels: the channels past {@code channels} are zero and keep slope 0. */
        Block preluThenPool(String name, int channels, int kernel, int stride, int width) {
            Tensor slopes = get(name);
            if (slopes.size() != channels) {
                throw new IllegalArgumentException(name + " has " + slopes.size() + " slopes, expected " + channels);
            }
            slopes = slopes.zeroPadded(0, width);
            channels = width;
            if (maxOf(slopes) <= 1) {
                return new SequentialBlock().add(prelu(slopes, channels)).add(maxPool(kernel, stride));
            }
            PreluCeilMaxPool p = new PreluCeilMaxPool(channels, kernel, stride);
            float[][] split = PreluCeilMaxPool.split(slopes.data());
            int[] shape = {channels, 1, 1};
            pending.put(p.lowSlope(), new Tensor(name + "/low", shape, split[0]));
            pending.put(p.highSlope(), new Tensor(name + "/high", shape, split[1]));
            return p;
        }

        private static float maxOf(Tensor t) {
            float max = Float.NEGATIVE_INFINITY;
            for (float v : t.data()) {
                max = Math.max(max, v);
            }
            return max;
        }

        Linear linear(String name, int units) {
            Linear l = Linear.builder().setUnits(units).build();
            pending.put(l.getParameters().get("weight"), get(name + "/weights").transpose(1, 0));
            pending.put(l.getParameters().get("bias"), get(name + "/bias"));
            return l;
        }

        /**
         * fc1 after an NCHW flatten. The stored rows follow the transposed net's (x, y, c) order, so
         * row (w·H + h)·C + c of W[in,out] becomes column c·H·W + h·W + w of the Linear weight [out,in].
         */
        Linear fc1(String name, int channels, int side, int units) {
            Tensor w = get(name + "/weights");
            int in = channels * side * side;
            if (w.shape()[0] != in || w.shape()[1] != units) {
                throw new IllegalArgumentException(name + "/weights has shape " + Arrays.toString(w.shape())
                        + ", expected [" + in + ", " + units + "]");
            }
            float[] out = new float[units * in];
            for (int o = 0; o < units; o++) {
                for (int c = 0; c < channels; c++) {
                    for (int h = 0; h < side; h++) {
                        for (int x = 0; x < side; x++) {
                            int src = ((x * side + h) * channels + c) * units + o;
                            out[o * in + c * side * side + h * side + x] = w.data()[src];
                        }
                    }
                }
            }
            Linear l = Linear.builder().setUnits(units).build();
            pending.put(l.getParameters().get("weight"), new Tensor(name + "/weights", new int[] {units, in}, out));
            pending.put(l.getParameters().get("bias"), get(name + "/bias"));
            return l;
        }

        Tensor get(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("the MTCNN weights have no tensor '" + name + "'");
            }
            return t;
        }

        /** After initialisation: overwrite the random initial values, and drop gradients for good. */
        void copyInto() {
            for (Map.Entry<Parameter, Tensor> e : pending.entrySet()) {
                Parameter p = e.getKey();
                Tensor t = e.getValue();
                long[] expected = p.getArray().getShape().getShape();
                if (!Arrays.equals(expected, t.shapeAsLongs())) {
                    throw new IllegalArgumentException("tensor " + t.name() + " has shape " + Arrays.toString(t.shape())
                            + " after conversion, but the layer needs " + Arrays.toString(expected));
                }
                p.getArray().set(t.data());
                // Grad mode is thread-local in PyTorch; parameters without requires_grad build no graph on any thread.
                p.getArray().setRequiresGradient(false);
            }
        }
    }
}
