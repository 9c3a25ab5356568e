package org.tessera.orchestrator.common.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.api.SortOrder;

/**
 * The query behind a list endpoint: the rows of one table within a scope (a submitter's runs, a run's items),
 * narrowed by the client's optional filters, sorted and paged. A filter whose value is null is left out.
 */
public final class Listing {

    private final StringBuilder sql;
    private final List<Object> params = new ArrayList<>();

    private Listing(String select) {
        this.sql = new StringBuilder(select);
    }

    /** {@code SELECT columns FROM table WHERE scope}, with the scope's one parameter. */
    public static Listing from(String table, String columns, String scope, Object scopeValue) {
        Listing listing = new Listing("SELECT " + columns + " FROM " + table + " WHERE " + scope);
        listing.params.add(scopeValue);
        return listing;
    }

    /** Adds a condition with one {@code ?}, unless the value is null. */
    public Listing where(String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            params.add(value);
        }
        return this;
    }

    /** Keeps rows whose column is one of the values, unless the values are null (an empty collection keeps none). */
    public Listing whereIn(String column, String elementType, Collection<?> values) {
        return where(column + " = ANY(?)", values == null ? null : Jdbc.array(elementType, values));
    }

    /** Keeps rows whose jsonb column matches a SQL/JSON path, unless the path is null. */
    public Listing whereJsonPathMatches(String column, String path) {
        // Same semantics as the @? operator (structural errors are "no match"); @? itself would clash with JDBC's ?
        // placeholders.
        return where("jsonb_path_exists(" + column + ", CAST(? AS jsonpath), '{}', true)", path);
    }

    public Listing orderBy(List<SortOrder> sort, SortFields fields) {
        sql.append(fields.orderBy(sort));
        return this;
    }

    public Listing page(Page page) {
        sql.append(" LIMIT ? OFFSET ?");
        params.add(page.size());
        params.add(page.offset());
        return this;
    }

    public <T> List<T> list(Connection c, Jdbc.RowReader<T> reader) throws SQLException {
        return Jdbc.list(c, sql.toString(), reader, params.toArray());
    }
}
