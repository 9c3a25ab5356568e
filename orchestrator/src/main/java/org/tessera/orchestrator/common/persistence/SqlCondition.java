package org.tessera.orchestrator.common.persistence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A piece of a WHERE clause with its {@code ?} parameters in order, e.g. the runs a caller may see. Built by the
 * package that knows the rule, used by the repository that lists the rows.
 */
public record SqlCondition(String sql, List<Object> params) {

    public SqlCondition {
        // Not List.copyOf: a parameter may be SQL NULL.
        params = Collections.unmodifiableList(new ArrayList<>(params));
    }

    public static SqlCondition of(String sql, Object... params) {
        return new SqlCondition(sql, Arrays.asList(params));
    }

    /** Both conditions. */
    public SqlCondition and(SqlCondition other) {
        List<Object> all = new ArrayList<>(params);
        all.addAll(other.params);
        return new SqlCondition("(" + sql + ") AND (" + other.sql + ")", all);
    }
}
