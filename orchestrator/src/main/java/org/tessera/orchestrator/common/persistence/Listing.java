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
public final class Listing<T> {

    private final Table<T> table;
    private final StringBuilder condition;
    private final List<Object> params = new ArrayList<>();

    Listing(Table<T> table, SqlCondition scope) {
        this.table = table;
        this.condition = new StringBuilder("(").append(scope.sql()).append(")");
        params.addAll(scope.params());
    }

    /** Adds a condition with one {@code ?}, unless the value is null. */
    public Listing<T> where(String filter, Object value) {
        if (value != null) {
            condition.append(" AND ").append(filter);
            params.add(value);
        }
        return this;
    }

    /** Adds a condition with its parameters, unless it is null. */
    public Listing<T> where(SqlCondition filter) {
        if (filter != null) {
            condition.append(" AND (").append(filter.sql()).append(")");
            params.addAll(filter.params());
        }
        return this;
    }

    /** Keeps rows whose column is one of the values, unless the values are null (an empty collection keeps none). */
    public Listing<T> whereIn(String column, String elementType, Collection<?> values) {
        return where(column + " = ANY(?)", values == null ? null : Jdbc.array(elementType, values));
    }

    /** Keeps rows whose jsonb column matches a SQL/JSON path, unless the path is null. */
    public Listing<T> whereJsonPathMatches(String column, String path) {
        // The @? operator (written @?? so that the driver does not take its ? for a placeholder) treats structural
        // errors as "no match", as jsonb_path_exists(..., silent => true) does, and unlike that function it can use a
        // GIN (jsonb_path_ops) index on the column.
        return where(column + " @?? CAST(? AS jsonpath)", path);
    }

    public Listing<T> orderBy(List<SortOrder> sort, SortFields fields) {
        condition.append(fields.orderBy(sort));
        return this;
    }

    public Listing<T> page(Page page) {
        condition.append(" LIMIT ? OFFSET ?");
        params.add(page.size());
        params.add(page.offset());
        return this;
    }

    public List<T> list(Connection c) throws SQLException {
        return table.select(c, condition.toString(), params.toArray());
    }
}
