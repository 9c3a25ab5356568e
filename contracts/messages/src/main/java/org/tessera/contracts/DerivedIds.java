package org.tessera.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The one scheme for ids that must come out the same however often a step is repeated (a redelivered request, a
 * retried transaction, a worker re-running the same attempt): name-based UUIDs over {@code tessera/<kind>/<parts>}, so
 * that every consumer's de-duplication recognises a repeat. Both services derive their event ids here.
 */
public final class DerivedIds {

    /**
     * One MD5 digest per thread: {@link UUID#nameUUIDFromBytes} looks the algorithm up on every call, which shows in a
     * 500-item submission (two derived ids per item).
     */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    });

    private DerivedIds() {}

    public static UUID of(String kind, Object... parts) {
        StringBuilder name = new StringBuilder("tessera/").append(kind);
        for (Object part : parts) {
            name.append('/').append(part);
        }
        return nameBased(name.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The same UUID as {@link UUID#nameUUIDFromBytes} (version 3, IETF variant). */
    static UUID nameBased(byte[] name) {
        byte[] md5 = MD5.get().digest(name);
        md5[6] &= 0x0f;
        md5[6] |= 0x30;
        md5[8] &= 0x3f;
        md5[8] |= (byte) 0x80;
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (md5[i] & 0xff);
        }
        for (int i = 8; i < 16; i++) {
            lsb = (lsb << 8) | (md5[i] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    public static UUID runRequested(UUID runId) {
        return of("run-requested", runId);
    }

    /** A run enters each lifecycle state at most once, so the state names the event. */
    public static UUID runStateChanged(UUID runId, Object state) {
        return of("run-state-changed", runId, state);
    }

    public static UUID slideJob(UUID runId, UUID itemId, int attempt) {
        return of("slide-job", runId, itemId, attempt);
    }

    /**
     * A worker's event about one attempt of an item; {@code kind} tells the events of an attempt apart (e.g.
     * {@code item.started}, {@code progress/7}, {@code item.succeeded}).
     */
    public static UUID itemEvent(UUID runId, UUID itemId, int attempt, String kind) {
        return of("item-event", runId, itemId, attempt, kind);
    }

    /**
     * An item's id: the first eight bytes of its run's id (version nibble 8, RFC 9562's custom layout), then the last
     * eight of the name-based id of {@code item/<run>/<position>}. A run's items sit together in every index keyed by
     * item id, and with time-ordered run ids a new run's items go to the index's end: its 500 rows touch a few pages
     * instead of 500 random ones. Items of one run differ in 62 digest bits; items of different runs also in the run's
     * bits.
     */
    public static UUID item(UUID runId, int position) {
        UUID digest = of("item", runId, position);
        long msb = (runId.getMostSignificantBits() & ~0xf000L) | 0x8000L;
        return new UUID(msb, digest.getLeastSignificantBits());
    }

    public static UUID inputArtifact(UUID itemId, String name) {
        return of("input-artifact", itemId, name);
    }

    public static UUID outputArtifact(UUID itemId, String name) {
        return of("output-artifact", itemId, name);
    }

    /** The ledger entry that charges a succeeded item: one per item, however often its success is reported. */
    public static UUID ledgerEntry(UUID itemId) {
        return of("ledger-entry", itemId);
    }

    /** One dead letter per unreadable record and consumer group, however often the record is read again. */
    public static UUID deadLetter(String topic, int partition, long offset, String consumerGroup) {
        return of("dead-letter", topic, partition, offset, consumerGroup);
    }
}
