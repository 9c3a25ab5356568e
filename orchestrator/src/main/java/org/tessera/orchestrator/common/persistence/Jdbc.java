package org.tessera.orchestrator.common.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Statements in the caller's connection (transaction), with their parameters bound in one place: an {@link Instant}
 * becomes a UTC {@code timestamptz}, an enum its name, a Java array (or {@link SqlArray}) an SQL array, anything else
 * goes to the driver as it is.
 */
public final class Jdbc {

    /** Reads one row of a result set. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** An SQL array parameter with its element type, e.g. {@code uuid}, {@code text}, {@code timestamptz}. */
    public record SqlArray(String elementType, Object[] elements) {}

    private Jdbc() {}

    public static SqlArray array(String elementType, Collection<?> elements) {
        return new SqlArray(elementType, elements.toArray());
    }

    public static <T> List<T> list(Connection c, String sql, RowReader<T> reader, Object... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
                return rows;
            }
        }
    }

    /** The first row, if any. */
    public static <T> Optional<T> first(Connection c, String sql, RowReader<T> reader, Object... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
            }
        }
    }

    /** Runs an INSERT, UPDATE or DELETE and returns how many rows it touched. */
    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** Runs one statement per row, as one batch; nothing when there are no rows. */
    public static <T> void batch(Connection c, String sql, Collection<T> rows, Function<T, Object[]> params)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (T row : rows) {
                bind(ps, params.apply(row));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            int index = i + 1;
            switch (params[i]) {
                case Instant instant -> ps.setObject(index, instant.atOffset(ZoneOffset.UTC));
                case Enum<?> constant -> ps.setString(index, constant.name());
                case SqlArray array -> ps.setArray(index, sqlArray(ps, array.elementType(), array.elements()));
                case String[] strings -> ps.setArray(index, sqlArray(ps, "text", strings));
                case UUID[] uuids -> ps.setArray(index, sqlArray(ps, "uuid", uuids));
                case Integer[] integers -> ps.setArray(index, sqlArray(ps, "integer", integers));
                case Long[] longs -> ps.setArray(index, sqlArray(ps, "bigint", longs));
                case null, default -> ps.setObject(index, params[i]);
            }
        }
    }

    private static java.sql.Array sqlArray(PreparedStatement ps, String elementType, Object[] elements)
            throws SQLException {
        return ps.getConnection().createArrayOf(elementType, elements);
    }
}
