package org.tessera.orchestrator.common.persistence;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows written with PostgreSQL's {@code COPY … FROM STDIN} in its text format: one statement for any number of rows,
 * without the per-row parameter binding and planning of a batched {@code INSERT}. For the bulk writes of the hot paths
 * (a submission's 500 items); the caller's transaction is the copy's. Constraint violations surface as the same
 * {@link SQLException}s an {@code INSERT} raises.
 */
public final class CopyRows {

    private CopyRows() {}

    /**
     * @param table the table's name
     * @param columns the columns every row gives, in order
     * @param values each row's values: {@code null}, a {@link String}, a number, an {@link Instant}, an enum (its name)
     *     or anything whose {@code toString()} is its text form (a {@link java.util.UUID})
     */
    public static <T> void copy(
            Connection c, String table, List<String> columns, Collection<T> rows, Function<T, Object[]> values)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Text text = new Text(rows.size() * 512);
        for (T row : rows) {
            Object[] fields = values.apply(row);
            if (fields.length != columns.size()) {
                throw new IllegalArgumentException(
                        "a row of " + table + " has " + fields.length + " values for " + columns.size() + " columns");
            }
            for (int i = 0; i < fields.length; i++) {
                if (i > 0) {
                    text.separator('\t');
                }
                text.field(fields[i]);
            }
            text.separator('\n');
        }
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN";
        // The driver's connections speak UTF-8; the bytes go out as they are, in messages of at most CHUNK bytes.
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            for (int offset = 0; offset < text.length; offset += CHUNK) {
                copy.writeToCopy(text.bytes, offset, Math.min(CHUNK, text.length - offset));
            }
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** The most one COPY data message carries. */
    private static final int CHUNK = 64 * 1024;

    /**
     * Rows in COPY's text format, as UTF-8: a field is {@code \N} for null, else its text with backslash and the row
     * and field separators escaped. Escaping works on the encoded bytes: no byte of a multi-byte UTF-8 sequence is
     * below 0x80, so none is taken for a separator.
     */
    static final class Text {

        private byte[] bytes;
        private int length;

        /** The last instant written and its text: a submission's rows share one {@code updated_at}. */
        private Instant lastInstant;

        private byte[] lastInstantText;

        Text(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        void separator(char separator) {
            room(1);
            bytes[length++] = (byte) separator;
        }

        void field(Object value) {
            switch (value) {
                case null -> {
                    room(2);
                    bytes[length++] = '\\';
                    bytes[length++] = 'N';
                }
                case Instant instant -> raw(instantText(instant));
                default -> {
                    String text = value instanceof Enum<?> constant ? constant.name() : value.toString();
                    byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
                    // Almost no field holds a character to escape; the JDK's searches look at many characters a step.
                    if (text.indexOf('\\') < 0
                            && text.indexOf('\t') < 0
                            && text.indexOf('\n') < 0
                            && text.indexOf('\r') < 0) {
                        raw(encoded);
                    } else {
                        escaped(encoded);
                    }
                }
            }
        }

        private void raw(byte[] text) {
            room(text.length);
            System.arraycopy(text, 0, bytes, length, text.length);
            length += text.length;
        }

        private void escaped(byte[] text) {
            room(text.length * 2);
            for (byte b : text) {
                byte escaped = switch (b) {
                    case '\\' -> '\\';
                    case '\t' -> 't';
                    case '\n' -> 'n';
                    case '\r' -> 'r';
                    default -> 0;
                };
                if (escaped != 0) {
                    bytes[length++] = '\\';
                    bytes[length++] = escaped;
                } else {
                    bytes[length++] = b;
                }
            }
        }

        private byte[] instantText(Instant instant) {
            if (!instant.equals(lastInstant)) {
                lastInstant = instant;
                lastInstantText = instant.toString().getBytes(StandardCharsets.US_ASCII);
            }
            return lastInstantText;
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        @Override
        public String toString() {
            return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
    }
}
