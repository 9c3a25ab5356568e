package org.tessera.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the watcher shows of one item: its state (or, once terminated, how it ended) and the worker's progress.
 *
 * @param status {@code PENDING}, {@code PROCESSING}, or once terminated its reason: {@code SUCCEEDED}, {@code
 *     USER_ERROR}, {@code SYSTEM_ERROR}, {@code SKIPPED}
 * @param stage the worker's stage (e.g. {@code TILING}), or null before its first report
 */
record ItemView(
        String externalId,
        String status,
        boolean terminated,
        String stage,
        long tilesDone,
        long tilesTotal,
        String errorCode,
        String errorMessage) {

    static ItemView of(JsonNode item) {
        boolean terminated = "TERMINATED".equals(item.path("state").asText());
        JsonNode progress = item.path("progress");
        return new ItemView(
                item.path("external_id").asText(),
                terminated
                        ? item.path("termination_reason").asText("TERMINATED")
                        : item.path("state").asText(),
                terminated,
                progress.path("stage").asText(null),
                progress.path("tiles_done").asLong(0),
                progress.path("tiles_total").asLong(0),
                item.path("error_code").asText(null),
                item.path("error_message").asText(null));
    }

    boolean succeeded() {
        return terminated && status.equals("SUCCEEDED");
    }

    /** Share of the work done, 0 to 1: tiles while processing, 1 once terminated. */
    double fraction() {
        if (terminated) {
            return 1;
        }
        return tilesTotal > 0 ? Math.min(1, (double) tilesDone / tilesTotal) : 0;
    }

    /** One line for a log: {@code good-1 PROCESSING TILING 12/40 tiles (30%)}. */
    String describe() {
        StringBuilder line = new StringBuilder(externalId).append(' ').append(status);
        if (!terminated && stage != null) {
            line.append(' ').append(stage);
            if (tilesTotal > 0) {
                line.append(' ')
                        .append(tilesDone)
                        .append('/')
                        .append(tilesTotal)
                        .append(" tiles (")
                        .append(Math.round(fraction() * 100))
                        .append("%)");
            }
        }
        if (terminated && errorCode != null) {
            line.append(' ').append(errorCode);
            if (errorMessage != null) {
                line.append(": ").append(errorMessage);
            }
        }
        return line.toString();
    }
}
