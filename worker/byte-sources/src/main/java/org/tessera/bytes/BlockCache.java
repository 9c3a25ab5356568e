package org.tessera.bytes;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Blocks of remote files, least recently used first out, bounded by the bytes it holds. One cache can serve many
 * sources (keys carry the source's identity). Thread-safe.
 */
public final class BlockCache {

    /** A block of one source: {@code source} is unique per opened source, {@code index} counts blocks from 0. */
    record Key(long source, long index) {}

    private final long capacityBytes;
    private final LinkedHashMap<Key, byte[]> blocks = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    /** @param capacityBytes the most bytes of blocks kept; 0 keeps none */
    public BlockCache(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacityBytes must be >= 0, got " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    synchronized byte[] get(Key key) {
        byte[] block = blocks.get(key);
        if (block == null) {
            misses++;
        } else {
            hits++;
        }
        return block;
    }

    synchronized void put(Key key, byte[] block) {
        if (block.length > capacityBytes) {
            return;
        }
        byte[] previous = blocks.put(key, block);
        if (previous != null) {
            bytes -= previous.length;
        }
        bytes += block.length;
        Iterator<Map.Entry<Key, byte[]>> eldest = blocks.entrySet().iterator();
        while (bytes > capacityBytes && eldest.hasNext()) {
            bytes -= eldest.next().getValue().length;
            eldest.remove();
        }
    }

    /** Drops every block of one source (it was closed, or it changed). */
    synchronized void evict(long source) {
        Iterator<Map.Entry<Key, byte[]>> all = blocks.entrySet().iterator();
        while (all.hasNext()) {
            Map.Entry<Key, byte[]> entry = all.next();
            if (entry.getKey().source() == source) {
                bytes -= entry.getValue().length;
                all.remove();
            }
        }
    }

    /** Bytes of blocks held now. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Blocks held now. */
    public synchronized int blocks() {
        return blocks.size();
    }

    /** Lookups that found their block. */
    public synchronized long hits() {
        return hits;
    }

    /** Lookups that did not. */
    public synchronized long misses() {
        return misses;
    }

    public long capacityBytes() {
        return capacityBytes;
    }
}
