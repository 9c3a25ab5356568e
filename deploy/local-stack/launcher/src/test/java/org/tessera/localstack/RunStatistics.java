package org.tessera.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The seven item counts of a run's {@code statistics}, as one map that a test can compare whole. */
final class RunStatistics {

    private static final List<String> COUNTS = List.of(
            "item_count",
            "item_pending_count",
            "item_processing_count",
            "item_succeeded_count",
            "item_user_error_count",
            "item_system_error_count",
            "item_skipped_count");

    private RunStatistics() {}

    static Map<String, Integer> of(JsonNode run) {
        JsonNode statistics = run.path("statistics");
        Map<String, Integer> counts = new LinkedHashMap<>();
        COUNTS.forEach(name -> counts.put(name, statistics.path(name).asInt()));
        return counts;
    }
}
