package org.tessera.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Progress of a running item; also the worker's heartbeat, sent at least every configured heartbeat interval while
 * the item is held, so a silent item can be detected and re-queued. Its counters tell a live item from a stuck one:
 * while an item makes progress, {@code stage}, {@code tiles_done} or {@code bytes_done} change between heartbeats.
 *
 * @param stage what the worker is doing, e.g. {@code DOWNLOADING}, {@code TILING}, {@code UPLOADING}
 * @param tilesDone tiles processed so far
 * @param tilesTotal tiles planned, 0 while unknown
 * @param bytesDone bytes of the input downloaded so far; left out of the JSON while 0, as older workers send it
 * @param bytesTotal the input's length when known, else 0
 */
public record ItemProgress(
        int attempt,
        String workerId,
        String stage,
        long tilesDone,
        long tilesTotal,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long bytesDone,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long bytesTotal)
        implements ItemEvent {

    public static final String TYPE = "item.progress";

    /** Progress without download counters. */
    public ItemProgress(int attempt, String workerId, String stage, long tilesDone, long tilesTotal) {
        this(attempt, workerId, stage, tilesDone, tilesTotal, 0, 0);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
