package org.tessera.orchestrator.common.persistence;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.postgresql.PGConnection;

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
        StringBuilder text = new StringBuilder(rows.size() * 512);
        for (T row : rows) {
            Object[] fields = values.apply(row);
            if (fields.length != columns.size()) {
                throw new IllegalArgumentException(
                        "a row of " + table + " has " + fields.length + " values for " + columns.size() + " columns");
            }
            for (int i = 0; i < fields.length; i++) {
                if (i > 0) {
                    text.append('\t');
                }
                field(text, fields[i]);
            }
            text.append('\n');
        }
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN";
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(text.toString()));
        } catch (IOException e) {
            throw new SQLException("could not send the rows of " + table, e);
        }
    }

    /** One field in COPY's text format: {@code \N} for null; backslash and the row and field separators escaped. */
    static void field(StringBuilder text, Object value) {
        if (value == null) {
            text.append("\\N");
            return;
        }
        String s = switch (value) {
            case Enum<?> constant -> constant.name();
            default -> value.toString();
        };
        // Runs without a character to escape (almost every field) are appended whole.
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            String escaped = switch (s.charAt(i)) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escaped != null) {
                text.append(s, start, i).append(escaped);
                start = i + 1;
            }
        }
        text.append(s, start, s.length());
    }
}
