package org.tessera.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** One readable line about a run, for the demo's progress display. */
final class RunProgress {

    private RunProgress() {}

    static String line(Duration elapsed, JsonNode run, List<JsonNode> items) {
        StringBuilder line = new StringBuilder(String.format(
                Locale.ROOT,
                "[%3d s] run %s",
                elapsed.toSeconds(),
                run.path("state").asText("?")));
        if (!run.path("termination_reason").isNull() && run.has("termination_reason")) {
            line.append(" / ").append(run.path("termination_reason").asText());
        }
        line.append(", output ").append(run.path("output").asText("?"));
        JsonNode stats = run.path("statistics");
        if (stats.isObject()) {
            line.append(" | items: ")
                    .append(count(stats, "item_pending_count", "pending"))
                    .append(count(stats, "item_processing_count", "processing"))
                    .append(count(stats, "item_succeeded_count", "succeeded"))
                    .append(count(stats, "item_user_error_count", "user error"))
                    .append(count(stats, "item_system_error_count", "system error"))
                    .append(count(stats, "item_skipped_count", "skipped"));
            trimSeparator(line);
            line.append(" of ").append(stats.path("item_count").asInt());
        }
        long[] tiles = tiles(items);
        if (tiles[1] > 0) {
            line.append(String.format(Locale.ROOT, " | tiles %d/%d", tiles[0], tiles[1]));
        }
        return line.toString();
    }

    private static String count(JsonNode stats, String field, String label) {
        int value = stats.path(field).asInt(0);
        return value == 0 ? "" : value + " " + label + ", ";
    }

    private static void trimSeparator(StringBuilder line) {
        if (line.toString().endsWith(", ")) {
            line.setLength(line.length() - 2);
        } else if (line.toString().endsWith("items: ")) {
            line.append("none");
        }
    }

    /**
     * Tiles done and total over the items that report them. The API has no tile counts of its own; the orchestrator
     * may expose the workers' progress events on an item as {@code progress.tiles_done}/{@code tiles_total}.
     */
    static long[] tiles(List<JsonNode> items) {
        long done = 0;
        long total = 0;
        for (JsonNode item : items) {
            JsonNode progress = item.path("progress");
            if (progress.has("tiles_total")) {
                total += progress.path("tiles_total").asLong();
                done += progress.path("tiles_done").asLong();
            }
        }
        return new long[] {done, total};
    }
}
