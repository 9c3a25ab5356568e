package org.tessera.orchestrator.common;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/** Fresh ids for new runs and items; injected so tests can make them predictable. */
@FunctionalInterface
public interface IdGenerator {

    UUID next();

    /**
     * Version 7 UUIDs (RFC 9562): 48 bits of Unix time in milliseconds, then 74 random bits. Ids made later sort later,
     * as PostgreSQL compares uuids byte by byte, so a new run's rows go to the end of every index keyed by its id (and,
     * through {@link org.tessera.contracts.DerivedIds#item}, by its items' ids) instead of to random pages of it: fewer
     * pages touched and split per submission, and a working set that stays small as the tables grow.
     */
    static IdGenerator timeOrdered(Clock clock) {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] bits = new byte[10];
            random.nextBytes(bits);
            long randA = ((bits[0] & 0x0fL) << 8) | (bits[1] & 0xffL);
            long randB = 0;
            for (int i = 2; i < 10; i++) {
                randB = (randB << 8) | (bits[i] & 0xffL);
            }
            long msb = (clock.millis() << 16) | 0x7000L | randA;
            long lsb = (randB & 0x3fff_ffff_ffff_ffffL) | 0x8000_0000_0000_0000L;
            return new UUID(msb, lsb);
        };
    }
}
