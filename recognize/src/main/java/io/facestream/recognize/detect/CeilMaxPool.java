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
 * first along the width, then along the height. Maximum is exact, so the values equal
 * {@code max_pool2d(ceil_mode=true)}; on PyTorch's CPU the element-wise maximum is vectorised and
 * several times faster than its pooling kernel on MTCNN's large, few-channel maps.
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
        long padH = (oh - 1) * stride + kernel - h;
        long padW = (ow - 1) * stride + kernel - w;
        if (padH > 0 || padW > 0) {
            // ceil mode = the windows that run past the bottom/right edge see −∞ there
            x = x.pad(new Shape(0, Math.max(padW, 0), 0, Math.max(padH, 0)), Float.NEGATIVE_INFINITY);
        }
        NDArray across = shiftedMax(x, ":, :, :, {}:{}:{}", ow);
        NDArray out = shiftedMax(across, ":, :, {}:{}:{}", oh);
        return new NDList(out);
    }

    private NDArray shiftedMax(NDArray x, String index, long n) {
        NDArray m = null;
        for (int j = 0; j < kernel; j++) {
            NDArray view = x.get(new NDIndex(index, j, j + (n - 1) * stride + 1, stride));
            m = m == null ? view : m.maximum(view);
        }
        return m;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), outSize(s.get(2), kernel, stride), outSize(s.get(3), kernel, stride))};
    }
}
