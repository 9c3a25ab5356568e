package org.tessera.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.UUID;

/**
 * The one scheme for ids that must come out the same however often a step is repeated (a redelivered request, a
 * retried transaction, a worker re-running the same attempt): name-based UUIDs over {@code tessera/<kind>/<parts>}, so
 * that every consumer's de-duplication recognises a repeat. Both services derive their event ids here.
 */
public final class DerivedIds {

    /**
     * One name buffer and MD5 digest per thread: {@link UUID#nameUUIDFromBytes} looks the algorithm up on every call,
     * and building the name as a string (each UUID part through {@link UUID#toString}, then the whole as UTF-8 bytes)
     * cost as much again. A 500-item submission derives a thousand ids.
     */
    private static final ThreadLocal<Name> NAME = ThreadLocal.withInitial(Name::new);

    private DerivedIds() {}

    /**
     * The name-based UUID (version 3) of {@code tessera/<kind>/<part>/<part>...}, each part written as
     * {@link String#valueOf} writes it, the whole in UTF-8: the same bytes, and so the same id, as building that string
     * and calling {@link UUID#nameUUIDFromBytes}.
     */
    public static UUID of(String kind, Object... parts) {
        Name name = NAME.get();
        name.start(kind);
        for (Object part : parts) {
            name.part(part);
        }
        return name.uuid();
    }

    /** The same UUID as {@link UUID#nameUUIDFromBytes} gives for the digested name (version 3, IETF variant). */
    private static UUID fromDigest(byte[] md5) {
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

    /** A name being written straight into bytes, reused by its thread (so {@link #of} must not be re-entered). */
    private static final class Name {

        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

        private final MessageDigest md5;
        private byte[] bytes = new byte[128];
        private int length;

        Name() {
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has MD5", e);
            }
        }

        void start(String kind) {
            length = 0;
            text("tessera/");
            text(kind);
        }

        void part(Object part) {
            room(1);
            bytes[length++] = '/';
            switch (part) {
                case UUID uuid -> uuid(uuid);
                case String text -> text(text);
                case null, default -> text(String.valueOf(part));
            }
        }

        UUID uuid() {
            md5.update(bytes, 0, length);
            return fromDigest(md5.digest());
        }

        /** As {@link UUID#toString}: 8-4-4-4-12 lower-case hex digits. */
        private void uuid(UUID uuid) {
            room(36);
            long msb = uuid.getMostSignificantBits();
            long lsb = uuid.getLeastSignificantBits();
            hex(msb >>> 32, 8);
            bytes[length++] = '-';
            hex(msb >>> 16, 4);
            bytes[length++] = '-';
            hex(msb, 4);
            bytes[length++] = '-';
            hex(lsb >>> 48, 4);
            bytes[length++] = '-';
            hex(lsb, 12);
        }

        private void hex(long value, int digits) {
            long rest = value;
            for (int i = digits - 1; i >= 0; i--) {
                bytes[length + i] = HEX[(int) (rest & 0xf)];
                rest >>>= 4;
            }
            length += digits;
        }

        /** ASCII byte by byte; from the first other character on, the rest as UTF-8, as {@link String#getBytes} does. */
        private void text(String text) {
            int n = text.length();
            room(n);
            for (int i = 0; i < n; i++) {
                char c = text.charAt(i);
                if (c >= 0x80) {
                    byte[] rest = text.substring(i).getBytes(StandardCharsets.UTF_8);
                    room(rest.length);
                    System.arraycopy(rest, 0, bytes, length, rest.length);
                    length += rest.length;
                    return;
                }
                bytes[length++] = (byte) c;
            }
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
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
