package org.tessera.orchestrator.common.persistence;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tessera.orchestrator.common.api.SortOrder;

/**
 * The sort fields a list endpoint accepts and the SQL expression each stands for, with the order used when the
 * client asks for none.
 *
 * @param tieBreaker a unique column appended to every order, so that pages neither repeat nor skip rows
 */
public record SortFields(Map<String, String> expressions, String defaultOrder, String tieBreaker) {

    public SortFields {
        expressions = Collections.unmodifiableMap(new LinkedHashMap<>(expressions));
    }

    /** From field names alternating with the SQL each stands for, in the order the API lists them. */
    public static SortFields of(String defaultOrder, String tieBreaker, String... fieldsAndExpressions) {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndExpressions.length; i += 2) {
            expressions.put(fieldsAndExpressions[i], fieldsAndExpressions[i + 1]);
        }
        return new SortFields(expressions, defaultOrder, tieBreaker);
    }

    /** The field names clients may sort by, in the order the API lists them. */
    public Set<String> names() {
        return expressions.keySet();
    }

    /** {@code ORDER BY ...} for the client's sort parameters. */
    public String orderBy(List<SortOrder> sort) {
        StringBuilder order = new StringBuilder(" ORDER BY ");
        if (sort.isEmpty()) {
            order.append(defaultOrder);
        } else {
            for (int i = 0; i < sort.size(); i++) {
                SortOrder s = sort.get(i);
                String expression = expressions.get(s.field());
                if (expression == null) {
                    throw new IllegalArgumentException("unsupported sort field " + s.field());
                }
                order.append(i == 0 ? "" : ", ").append(expression).append(s.descending() ? " DESC" : " ASC");
            }
        }
        return order.append(", ").append(tieBreaker).toString();
    }
}
