package org.tessera.orchestrator.common.persistence;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows written with PostgreSQL's {@code COPY … FROM STDIN} in its binary format: one statement for any number of rows,
 * without the per-row parameter binding and planning of a batched {@code INSERT}, and without the server parsing each
 * field's text (ids, numbers, times) or the client escaping it. For the bulk writes of the hot paths (a submission's 500
 * items); the caller's transaction is the copy's. Constraint violations surface as the same {@link SQLException}s an
 * {@code INSERT} raises.
 */
public final class CopyRows {

    /** A column's PostgreSQL type, which decides its binary form, and the Java values it takes. */
    public enum Type {
        /** {@link UUID}. */
        UUID,
        /** {@link Integer}, or any {@link Number} within {@code int}. */
        INTEGER,
        /** {@link String}, or an enum (its name). */
        TEXT,
        /** JSON text as a {@link String}; the server still checks it is JSON. */
        JSON,
        /** JSON text as a {@link String}; the server parses it into jsonb. */
        JSONB,
        /** {@link Instant}, to the microsecond. */
        TIMESTAMPTZ
    }

    /** A column of the table and its type. */
    public record Column(String name, Type type) {}

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    /** The binary form's times count microseconds from 2000-01-01T00:00:00Z. */
    private static final long EPOCH_2000_SECONDS = 946_684_800L;

    /** The version byte in front of jsonb's text in the binary form. */
    private static final byte JSONB_VERSION = 1;

    /** The most one COPY data message carries. */
    private static final int CHUNK = 64 * 1024;

    private CopyRows() {}

    public static Column uuid(String name) {
        return new Column(name, Type.UUID);
    }

    public static Column integer(String name) {
        return new Column(name, Type.INTEGER);
    }

    public static Column text(String name) {
        return new Column(name, Type.TEXT);
    }

    public static Column json(String name) {
        return new Column(name, Type.JSON);
    }

    public static Column jsonb(String name) {
        return new Column(name, Type.JSONB);
    }

    public static Column timestamptz(String name) {
        return new Column(name, Type.TIMESTAMPTZ);
    }

    /**
     * @param table the table's name
     * @param columns the columns every row gives, in order, with their types
     * @param values each row's values, in the columns' order: {@code null} or a value of the column's {@link Type}
     */
    public static <T> void copy(
            Connection c, String table, List<Column> columns, Collection<T> rows, Function<T, Object[]> values)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Binary data = new Binary(rows.size() * 512);
        for (T row : rows) {
            Object[] fields = values.apply(row);
            if (fields.length != columns.size()) {
                throw new IllegalArgumentException(
                        "a row of " + table + " has " + fields.length + " values for " + columns.size() + " columns");
            }
            data.row(columns, fields);
        }
        data.end();
        String sql = "COPY " + table + " (" + columns.stream().map(Column::name).collect(Collectors.joining(", "))
                + ") FROM STDIN (FORMAT binary)";
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            for (int offset = 0; offset < data.length; offset += CHUNK) {
                copy.writeToCopy(data.bytes, offset, Math.min(CHUNK, data.length - offset));
            }
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /**
     * Rows in COPY's binary form: a signature and two empty words, then per row its field count and each field as a
     * length (-1 for null) and its bytes, then -1 where the next row's count would be.
     */
    static final class Binary {

        private byte[] bytes;
        private int length;

        Binary(int capacity) {
            bytes = new byte[Math.max(64, capacity)];
            put(SIGNATURE);
            putInt(0);
            putInt(0);
        }

        void row(List<Column> columns, Object[] fields) {
            putShort(fields.length);
            for (int i = 0; i < fields.length; i++) {
                field(columns.get(i), fields[i]);
            }
        }

        void end() {
            putShort(-1);
        }

        private void field(Column column, Object value) {
            if (value == null) {
                putInt(-1);
                return;
            }
            try {
                switch (column.type()) {
                    case UUID -> {
                        UUID id = (UUID) value;
                        putInt(16);
                        putLong(id.getMostSignificantBits());
                        putLong(id.getLeastSignificantBits());
                    }
                    case INTEGER -> {
                        long number = ((Number) value).longValue();
                        if (number != (int) number) {
                            throw new IllegalArgumentException(
                                    "column " + column.name() + " is an integer; " + number + " is out of its range");
                        }
                        putInt(4);
                        putInt((int) number);
                    }
                    case TEXT -> {
                        String text = value instanceof Enum<?> constant ? constant.name() : (String) value;
                        byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
                        putInt(encoded.length);
                        put(encoded);
                    }
                    case JSON -> {
                        byte[] encoded = ((String) value).getBytes(StandardCharsets.UTF_8);
                        putInt(encoded.length);
                        put(encoded);
                    }
                    case JSONB -> {
                        byte[] encoded = ((String) value).getBytes(StandardCharsets.UTF_8);
                        putInt(encoded.length + 1);
                        room(1);
                        bytes[length++] = JSONB_VERSION;
                        put(encoded);
                    }
                    case TIMESTAMPTZ -> {
                        Instant instant = (Instant) value;
                        putInt(8);
                        putLong(Math.addExact(
                                Math.multiplyExact(instant.getEpochSecond() - EPOCH_2000_SECONDS, 1_000_000L),
                                instant.getNano() / 1_000));
                    }
                }
            } catch (ClassCastException e) {
                throw new IllegalArgumentException(
                        "column " + column.name() + " is " + column.type() + "; a "
                                + value.getClass().getName() + " cannot be written to it",
                        e);
            }
        }

        private void putShort(int value) {
            room(2);
            bytes[length++] = (byte) (value >>> 8);
            bytes[length++] = (byte) value;
        }

        private void putInt(int value) {
            room(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[length++] = (byte) (value >>> shift);
            }
        }

        private void putLong(long value) {
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[length++] = (byte) (value >>> shift);
            }
        }

        private void put(byte[] more) {
            room(more.length);
            System.arraycopy(more, 0, bytes, length, more.length);
            length += more.length;
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        /** What has been written so far. */
        byte[] toByteArray() {
            return Arrays.copyOf(bytes, length);
        }
    }
}
