package org.tessera.contracts;

/**
 * Progress of a running item; also the worker's heartbeat, sent at least every configured heartbeat interval while
 * the item is held, so a silent item can be detected and re-queued.
 *
 * @param stage what the worker is doing, e.g. {@code DOWNLOADING}, {@code TILING}, {@code UPLOADING}
 * @param tilesDone tiles processed so far
 * @param tilesTotal tiles planned, 0 while unknown
 */
public record ItemProgress(int attempt, String workerId, String stage, long tilesDone, long tilesTotal)
        implements ItemEvent {

    public static final String TYPE = "item.progress";

    @Override
    public String type() {
        return TYPE;
    }
}
