package org.tessera.models.onnx;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds an ONNX model (IR version 8, default opset 13) from Java, so that every model the platform ships is produced
 * from reviewed source, byte for byte the same on every build. Field numbers follow the published {@code onnx.proto}.
 *
 * <p>Tensors are float32 unless stated; dimensions given as {@code null} or negative are symbolic (e.g. the batch).
 */
public final class OnnxModel {

    public static final long IR_VERSION = 8;
    public static final long OPSET = 13;

    private static final int TENSOR_FLOAT = 1;
    private static final int TENSOR_INT64 = 7;

    private final String name;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private int generated;

    public OnnxModel(String name) {
        this.name = name;
    }

    /** Declares a float32 graph input; {@code dims} entries of -1 are symbolic ({@code N}, {@code H}, ...). */
    public OnnxModel input(String tensor, long... dims) {
        inputs.add(valueInfo(tensor, TENSOR_FLOAT, dims));
        return this;
    }

    public OnnxModel output(String tensor, long... dims) {
        outputs.add(valueInfo(tensor, TENSOR_FLOAT, dims));
        return this;
    }

    /** Declares an int64 graph output, e.g. class indices from ArgMax. */
    public OnnxModel outputInt64(String tensor, long... dims) {
        outputs.add(valueInfo(tensor, TENSOR_INT64, dims));
        return this;
    }

    /** A float32 constant (weights, thresholds) with its shape. */
    public String constant(String tensor, float[] values, long... dims) {
        initializers.add(tensorProto(tensor, TENSOR_FLOAT, dims, ProtoWriter.littleEndianFloats(values)));
        return tensor;
    }

    /** A scalar float32 constant with a generated name. */
    public String scalar(float value) {
        return constant(fresh("c"), new float[] {value});
    }

    /** An int64 constant (shapes, axes). */
    public String int64Constant(String tensor, long[] values, long... dims) {
        initializers.add(tensorProto(tensor, TENSOR_INT64, dims, ProtoWriter.littleEndianLongs(values)));
        return tensor;
    }

    /** Adds a node with a single output whose name is generated; returns that name. */
    public String op(String opType, List<String> in, Attribute... attributes) {
        String out = fresh(opType.toLowerCase(java.util.Locale.ROOT));
        node(opType, in, List.of(out), attributes);
        return out;
    }

    /** Adds a node with named outputs. */
    public OnnxModel node(String opType, List<String> in, List<String> out, Attribute... attributes) {
        ProtoWriter node = new ProtoWriter();
        in.forEach(i -> node.string(1, i));
        out.forEach(o -> node.string(2, o));
        node.string(3, opType + "_" + nodes.size());
        node.string(4, opType);
        for (Attribute attribute : attributes) {
            node.message(5, attribute.proto());
        }
        nodes.add(node);
        return this;
    }

    /** Adds a metadata entry (shown by model viewers and readable from ONNX Runtime). */
    public OnnxModel metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public byte[] toBytes() {
        ProtoWriter graph = new ProtoWriter();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, name);
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));

        ProtoWriter model = new ProtoWriter()
                .int64(1, IR_VERSION)
                .string(2, "tessera-models")
                .string(3, "1")
                .string(4, "org.tessera")
                .int64(5, 1)
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").int64(2, OPSET));
        metadata.forEach(
                (k, v) -> model.message(14, new ProtoWriter().string(1, k).string(2, v)));
        return model.toByteArray();
    }

    /** Hex SHA-256 of the model bytes, as recorded in the model registry. */
    public static String sha256(byte[] model) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String fresh(String prefix) {
        return prefix + "_" + (generated++);
    }

    private static ProtoWriter valueInfo(String tensor, int elementType, long[] dims) {
        ProtoWriter shape = new ProtoWriter();
        char symbol = 'N';
        for (long d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d >= 0) {
                dim.int64(1, d);
            } else {
                dim.string(2, String.valueOf(symbol++));
            }
            shape.message(1, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().int64(1, elementType).message(2, shape);
        ProtoWriter type = new ProtoWriter().message(1, tensorType);
        return new ProtoWriter().string(1, tensor).message(2, type);
    }

    private static ProtoWriter tensorProto(String tensor, int dataType, long[] dims, byte[] raw) {
        return new ProtoWriter()
                .packedInt64(1, dims)
                .int64(2, dataType)
                .string(8, tensor)
                .bytes(9, raw);
    }

    /** A node attribute. */
    public static final class Attribute {

        private final String name;
        private final Consumer<ProtoWriter> value;

        private Attribute(String name, Consumer<ProtoWriter> value) {
            this.name = name;
            this.value = value;
        }

        public static Attribute ints(String name, long... values) {
            return new Attribute(name, w -> {
                for (long v : values) {
                    w.int64(8, v);
                }
                w.int64(20, 7);
            });
        }

        public static Attribute integer(String name, long value) {
            return new Attribute(name, w -> w.int64(3, value).int64(20, 2));
        }

        public static Attribute real(String name, float value) {
            return new Attribute(name, w -> w.float32(2, value).int64(20, 1));
        }

        ProtoWriter proto() {
            ProtoWriter w = new ProtoWriter().string(1, name);
            value.accept(w);
            return w;
        }
    }
}
