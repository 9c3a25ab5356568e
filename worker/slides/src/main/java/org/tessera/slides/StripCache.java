package org.tessera.slides;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded strips of a striped image, the most recently used kept up to a budget of bytes. A strip spans the
 * image's width, so the tiles of one row of a tile plan share their strips: each strip is decoded once per row of
 * tiles, not once per tile. Thread-safe: threads that want the same strip wait for one decode of it, different strips
 * decode at once.
 */
final class StripCache {

    /** Decodes one strip into packed ARGB pixels. */
    @FunctionalInterface
    interface Decoder {
        int[] decode(int strip) throws SlideFormatException, IOException;
    }

    private static final class Slot {
        private int[] pixels;
        /** The bytes counted against the budget; 0 until the strip is decoded. */
        private long bytes;
    }

    private final long budget;
    private final LinkedHashMap<Integer, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** @param budget the most bytes of decoded strips kept; the strip in use is kept whatever its size */
    StripCache(long budget) {
        this.budget = budget;
    }

    int[] get(int strip, Decoder decoder) throws SlideFormatException, IOException {
        Slot slot;
        synchronized (this) {
            slot = slots.computeIfAbsent(strip, s -> new Slot());
        }
        synchronized (slot) {
            if (slot.pixels != null) {
                return slot.pixels;
            }
            int[] pixels;
            try {
                pixels = decoder.decode(strip);
            } catch (SlideFormatException | IOException | RuntimeException | Error e) {
                synchronized (this) {
                    slots.remove(strip, slot);
                }
                throw e;
            }
            slot.pixels = pixels;
            synchronized (this) {
                if (slots.get(strip) == slot) {
                    slot.bytes = 4L * pixels.length;
                    bytes += slot.bytes;
                    evictBeyondBudget(slot);
                }
            }
            return pixels;
        }
    }

    /** Bytes of decoded strips held now. */
    synchronized long bytes() {
        return bytes;
    }

    private void evictBeyondBudget(Slot keep) {
        Iterator<Map.Entry<Integer, Slot>> eldest = slots.entrySet().iterator();
        while (bytes > budget && eldest.hasNext()) {
            Slot slot = eldest.next().getValue();
            // Strips still being decoded are not counted yet; their decoders are waiting on them.
            if (slot != keep && slot.bytes > 0) {
                bytes -= slot.bytes;
                eldest.remove();
            }
        }
    }
}
