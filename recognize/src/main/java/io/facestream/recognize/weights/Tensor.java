package io.facestream.recognize.weights;

import java.util.Arrays;

/** A named float32 tensor read from a weight file, in the file's own layout (row-major). */
public record Tensor(String name, int[] shape, float[] data) {

    public Tensor {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor " + name + " has a negative dimension: " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(shape)
                    + " (" + n + " values) but " + data.length + " values were read");
        }
        shape = shape.clone();
    }

    /** Number of values. */
    public int size() {
        return data.length;
    }

    /** A copy of the shape as longs, as DJL's {@code Shape} wants it. */
    public long[] shapeAsLongs() {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    /**
     * Permutes the axes: output axis {@code i} is input axis {@code axes[i]}, like numpy's
     * {@code transpose}. Weight layout conversions (HWIO → OIHW, ...) are done once at load time.
     */
    public Tensor transpose(int... axes) {
        int rank = shape.length;
        if (axes.length != rank) {
            throw new IllegalArgumentException("transpose of " + name + " needs " + rank + " axes, got " + Arrays.toString(axes));
        }
        int[] outShape = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[axes[i]];
        }
        int[] inStride = strides(shape);
        int[] outStride = strides(outShape);
        float[] out = new float[data.length];
        int[] idx = new int[rank];
        for (int o = 0; o < out.length; o++) {
            int rem = o;
            int src = 0;
            for (int i = 0; i < rank; i++) {
                idx[i] = rem / outStride[i];
                rem -= idx[i] * outStride[i];
                src += idx[i] * inStride[axes[i]];
            }
            out[o] = data[src];
        }
        return new Tensor(name, outShape, out);
    }

    /** The same values under another shape with the same number of elements. */
    public Tensor reshape(int... newShape) {
        return new Tensor(name, newShape, data);
    }

    /**
     * The tensor with axis {@code axis} grown to {@code size} by zeros after the existing entries (a layer widened by
     * channels that contribute nothing).
     */
    public Tensor zeroPadded(int axis, int size) {
        if (axis < 0 || axis >= shape.length || size < shape[axis]) {
            throw new IllegalArgumentException("cannot pad axis " + axis + " of " + this + " to " + size);
        }
        int[] outShape = shape.clone();
        outShape[axis] = size;
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int outer = data.length / (shape[axis] * inner);
        float[] out = new float[outer * size * inner];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(data, o * shape[axis] * inner, out, o * size * inner, shape[axis] * inner);
        }
        return new Tensor(name, outShape, out);
    }

    private static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
