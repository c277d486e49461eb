package io.facestream.recognize.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a TensorFlow Lite flatbuffer (schema v3) that a weight import needs: the tensors of the
 * single subgraph with their constant buffers, and the operator list (codes, inputs, outputs).
 *
 * <p>Flatbuffer layout: a table starts with a signed offset back to its vtable; the vtable lists the
 * byte offset of each field inside the table (0 = absent); references are unsigned offsets relative
 * to where they are stored.
 */
public final class TfliteModel {

    /** TFLite tensor type code for float32. */
    public static final int TYPE_FLOAT32 = 0;

    /** One tensor of the subgraph; {@code constant} is null for activations. */
    public record TfliteTensor(int index, String name, int[] shape, int type, float[] constant) {

        /** The constant as a {@link Tensor}, or an error naming the tensor if it has no data. */
        public Tensor toTensor() {
            if (constant == null) {
                throw new IllegalStateException("tensor " + index + " (" + name + ") holds no constant data");
            }
            return new Tensor(name, shape, constant);
        }
    }

    /** One operator: its builtin code and the indices of its input and output tensors. */
    public record Operator(int builtinCode, int[] inputs, int[] outputs) {
    }

    private final List<TfliteTensor> tensors;
    private final List<Operator> operators;
    private final int[] inputs;
    private final int[] outputs;
    private final Map<String, TfliteTensor> byName = new LinkedHashMap<>();

    private TfliteModel(List<TfliteTensor> tensors, List<Operator> operators, int[] inputs, int[] outputs) {
        this.tensors = Collections.unmodifiableList(tensors);
        this.operators = Collections.unmodifiableList(operators);
        this.inputs = inputs;
        this.outputs = outputs;
        for (TfliteTensor t : tensors) {
            byName.putIfAbsent(t.name(), t);
        }
    }

    /** Reads a {@code .tflite} file. */
    public static TfliteModel read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Parses a {@code .tflite} flatbuffer; {@code source} names it in error messages. */
    public static TfliteModel parse(byte[] bytes, String source) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8 || !"TFL3".equals(new String(bytes, 4, 4, StandardCharsets.US_ASCII))) {
            throw new IOException(source + " is not a TensorFlow Lite model (no TFL3 identifier)");
        }
        try {
            int model = b.getInt(0);
            List<Integer> codes = new ArrayList<>();
            for (int oc : tables(b, field(b, model, 1))) {
                int deprecated = scalarByte(b, oc, 0, 0);
                int builtin = scalarInt(b, oc, 3, 0);
                codes.add(Math.max(deprecated, builtin));
            }
            List<Integer> buffers = tables(b, field(b, model, 4));
            List<Integer> subgraphs = tables(b, field(b, model, 2));
            if (subgraphs.size() != 1) {
                throw new IOException(source + " has " + subgraphs.size() + " subgraphs; exactly one is supported");
            }
            int sg = subgraphs.get(0);
            List<TfliteTensor> tensors = new ArrayList<>();
            List<Integer> tensorTables = tables(b, field(b, sg, 0));
            for (int i = 0; i < tensorTables.size(); i++) {
                int t = tensorTables.get(i);
                int[] shape = ints(b, field(b, t, 0));
                int type = scalarByte(b, t, 1, 0);
                int buffer = scalarInt(b, t, 2, 0);
                String name = string(b, field(b, t, 3));
                float[] constant = null;
                if (buffer > 0 && buffer < buffers.size()) {
                    int data = field(b, buffers.get(buffer), 0);
                    if (data != 0 && type == TYPE_FLOAT32) {
                        int len = b.getInt(data);
                        constant = new float[len / 4];
                        for (int k = 0; k < constant.length; k++) {
                            constant[k] = b.getFloat(data + 4 + 4 * k);
                        }
                    }
                }
                tensors.add(new TfliteTensor(i, name, shape, type, constant));
            }
            List<Operator> ops = new ArrayList<>();
            for (int op : tables(b, field(b, sg, 3))) {
                int codeIndex = scalarInt(b, op, 0, 0);
                ops.add(new Operator(codes.get(codeIndex), ints(b, field(b, op, 1)), ints(b, field(b, op, 2))));
            }
            return new TfliteModel(tensors, ops, ints(b, field(b, sg, 1)), ints(b, field(b, sg, 2)));
        } catch (IndexOutOfBoundsException e) {
            throw new IOException(source + " is truncated or not a valid TensorFlow Lite flatbuffer", e);
        }
    }

    /** All tensors, in subgraph order (index = position). */
    public List<TfliteTensor> tensors() {
        return tensors;
    }

    /** Operators in execution order. */
    public List<Operator> operators() {
        return operators;
    }

    /** Indices of the graph inputs. */
    public int[] inputs() {
        return inputs.clone();
    }

    /** Indices of the graph outputs. */
    public int[] outputs() {
        return outputs.clone();
    }

    /** The tensor with this name; an error naming the file's layout if absent. */
    public TfliteTensor tensor(String name) {
        TfliteTensor t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "' in this TFLite model");
        }
        return t;
    }

    /** The tensor at this index. */
    public TfliteTensor tensor(int index) {
        return tensors.get(index);
    }

    // --- flatbuffer primitives -------------------------------------------------------------

    /** Absolute position of a reference field's target, or 0 when the field is absent. */
    private static int field(ByteBuffer b, int table, int fieldIndex) {
        int loc = fieldLocation(b, table, fieldIndex);
        return loc == 0 ? 0 : loc + b.getInt(loc);
    }

    private static int fieldLocation(ByteBuffer b, int table, int fieldIndex) {
        int vtable = table - b.getInt(table);
        int vtableSize = Short.toUnsignedInt(b.getShort(vtable));
        int slot = 4 + 2 * fieldIndex;
        if (slot >= vtableSize) {
            return 0;
        }
        int off = Short.toUnsignedInt(b.getShort(vtable + slot));
        return off == 0 ? 0 : table + off;
    }

    private static int scalarInt(ByteBuffer b, int table, int fieldIndex, int dflt) {
        int loc = fieldLocation(b, table, fieldIndex);
        return loc == 0 ? dflt : b.getInt(loc);
    }

    private static int scalarByte(ByteBuffer b, int table, int fieldIndex, int dflt) {
        int loc = fieldLocation(b, table, fieldIndex);
        return loc == 0 ? dflt : b.get(loc);
    }

    private static List<Integer> tables(ByteBuffer b, int vector) {
        List<Integer> out = new ArrayList<>();
        if (vector == 0) {
            return out;
        }
        int n = b.getInt(vector);
        for (int i = 0; i < n; i++) {
            int loc = vector + 4 + 4 * i;
            out.add(loc + b.getInt(loc));
        }
        return out;
    }

    private static int[] ints(ByteBuffer b, int vector) {
        if (vector == 0) {
            return new int[0];
        }
        int[] out = new int[b.getInt(vector)];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getInt(vector + 4 + 4 * i);
        }
        return out;
    }

    private static String string(ByteBuffer b, int str) {
        if (str == 0) {
            return "";
        }
        int len = b.getInt(str);
        byte[] bytes = new byte[len];
        b.get(str + 4, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
