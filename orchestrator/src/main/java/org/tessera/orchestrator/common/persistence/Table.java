package org.tessera.orchestrator.common.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * One table as its repository reads it: the columns it selects and how a row of them becomes a value.
 *
 * @param name the table
 * @param columns the selected columns, comma-separated
 */
public record Table<T>(String name, String columns, Jdbc.RowReader<T> reader) {

    /** {@code SELECT columns FROM name WHERE condition}, e.g. {@code "run_id = ? ORDER BY position"}. */
    public List<T> select(Connection c, String condition, Object... params) throws SQLException {
        return Jdbc.list(c, selectWhere(condition), reader, params);
    }

    /** The first row matching the condition, if any. */
    public Optional<T> first(Connection c, String condition, Object... params) throws SQLException {
        return Jdbc.first(c, selectWhere(condition), reader, params);
    }

    /**
     * Reads and locks rows by id, always in id order so that concurrent transactions locking overlapping sets cannot
     * deadlock.
     */
    public Map<UUID, T> lockInIdOrder(Connection c, String idColumn, Collection<UUID> ids, Function<T, UUID> idOf)
            throws SQLException {
        Map<UUID, T> rows = new HashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        String condition = idColumn + " = ANY(?) ORDER BY " + idColumn + " FOR UPDATE";
        for (T row : select(c, condition, Jdbc.array("uuid", ids))) {
            rows.put(idOf.apply(row), row);
        }
        return rows;
    }

    /** The query of a list endpoint over this table, within one scope (e.g. {@code "run_id = ?"}). */
    public Listing<T> listing(String scope, Object scopeValue) {
        return new Listing<>(this, SqlCondition.of(scope, scopeValue));
    }

    /** The query of a list endpoint over this table, within a scope of any shape (e.g. the runs a caller may see). */
    public Listing<T> listing(SqlCondition scope) {
        return new Listing<>(this, scope);
    }

    private String selectWhere(String condition) {
        return "SELECT " + columns + " FROM " + name + " WHERE " + condition;
    }
}
