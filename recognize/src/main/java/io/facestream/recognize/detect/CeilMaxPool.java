package io.facestream.recognize.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Max pooling k×k / s with ceil_mode = true and no padding, as a maximum over shifted strided views:
 * first along the height, then along the width. Maximum is exact, so the values equal
 * {@code max_pool2d(ceil_mode=true)}; on PyTorch's CPU the element-wise maximum is vectorised and
 * several times faster than its pooling kernel on MTCNN's large, few-channel maps.
 *
 * <p>Height first: views strided along the height keep whole rows contiguous, so the first pass runs
 * on contiguous rows and the strided pass along the width only sees the shrunk map (20–30 % faster
 * than width first). The −∞ border for the width is added after the first pass when the height needs
 * none, so the full map is not copied for it.
 */
final class CeilMaxPool extends AbstractBlock {

    private final int kernel;
    private final int stride;

    CeilMaxPool(int kernel, int stride) {
        this.kernel = kernel;
        this.stride = stride;
    }

    /** Output size of ceil-mode pooling without padding (PyTorch's rule, the last window starts inside). */
    static long outSize(long in, int kernel, int stride) {
        long out = Math.floorDiv(in - kernel + stride - 1, stride) + 1;
        if ((out - 1) * stride >= in) {
            out--;
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        long oh = outSize(h, kernel, stride);
        long ow = outSize(w, kernel, stride);
        long padH = Math.max((oh - 1) * stride + kernel - h, 0);
        long padW = Math.max((ow - 1) * stride + kernel - w, 0);
        // ceil mode = the windows that run past the bottom/right edge see −∞ there
        NDArray padded = padH > 0 ? x.pad(new Shape(0, padW, 0, padH), Float.NEGATIVE_INFINITY) : x;
        if (padH > 0) {
            padW = 0;
        }
        NDArray down = shiftedMax(padded, ":, :, {}:{}:{}", oh);
        // Temporaries are freed as soon as they are read, so the next one reuses memory that is still in cache.
        if (padded != x) {
            padded.close();
        }
        if (padW > 0) {
            NDArray p = down.pad(new Shape(0, padW), Float.NEGATIVE_INFINITY);
            down.close();
            down = p;
        }
        NDArray out = shiftedMax(down, ":, :, :, {}:{}:{}", ow);
        down.close();
        return new NDList(out);
    }

    private NDArray shiftedMax(NDArray x, String index, long n) {
        NDArray m = x.get(new NDIndex(index, 0, (n - 1) * stride + 1, stride));
        for (int j = 1; j < kernel; j++) {
            try (NDArray view = x.get(new NDIndex(index, j, j + (n - 1) * stride + 1, stride))) {
                NDArray next = m.maximum(view);
                m.close();
                m = next;
            }
        }
        return m;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), outSize(s.get(2), kernel, stride), outSize(s.get(3), kernel, stride))};
    }
}
