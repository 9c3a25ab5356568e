package org.tessera.models.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The few parts of the protocol-buffers wire format that ONNX models need: varints, 32-bit floats and
 * length-delimited fields (strings, bytes, nested messages). Fields are written in the order the caller gives, so
 * the same calls always give the same bytes.
 */
final class ProtoWriter {

    private static final int VARINT = 0;
    private static final int FIXED32 = 5;
    private static final int LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    ProtoWriter float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write((bits >>> (8 * i)) & 0xff);
        }
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoWriter message(int field, ProtoWriter nested) {
        return bytes(field, nested.toByteArray());
    }

    /** Repeated int64 in packed form, as proto3 writes {@code repeated int64} by default. */
    ProtoWriter packedInt64(int field, long[] values) {
        ProtoWriter packed = new ProtoWriter();
        for (long v : values) {
            packed.varint(v);
        }
        return bytes(field, packed.toByteArray());
    }

    static byte[] littleEndianFloats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    static byte[] littleEndianLongs(long[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buffer.putLong(v);
        }
        return buffer.array();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
